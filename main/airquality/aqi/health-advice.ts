import { parseCategory, type AqiCategory, type AqiCategoryKey } from './categories';

export const HEALTH_GROUPS = [
  'general',
  'sensitive',
  'children',
  'older_adults',
  'heart_lung',
  'pregnant',
  'outdoor_workers',
  'athletes',
] as const;
type HealthGroup = (typeof HEALTH_GROUPS)[number];

const GROUP_LABELS: Record<HealthGroup, string> = {
  general: 'the general public',
  sensitive: 'sensitive groups',
  children: 'children',
  older_adults: 'older adults',
  heart_lung: 'people with heart or lung disease (including asthma)',
  pregnant: 'pregnant people',
  outdoor_workers: 'outdoor workers',
  athletes: 'people exercising outdoors',
};

/** Groups EPA counts as sensitive to particle pollution; the rest follow the general advice. */
const SENSITIVE: ReadonlySet<HealthGroup> = new Set([
  'sensitive',
  'children',
  'older_adults',
  'heart_lung',
  'pregnant',
]);

/** EPA cautionary statements for particle pollution, by category. */
const PM_CAUTIONARY: Record<AqiCategoryKey, string> = {
  good: 'None.',
  moderate: 'Unusually sensitive people should consider reducing prolonged or heavy exertion.',
  usg: 'People with heart or lung disease, older adults, children and people of lower socioeconomic status should reduce prolonged or heavy exertion.',
  unhealthy:
    'People with heart or lung disease, older adults, children and people of lower socioeconomic status should avoid prolonged or heavy exertion; everyone else should reduce prolonged or heavy exertion.',
  very_unhealthy:
    'People with heart or lung disease, older adults, children and people of lower socioeconomic status should avoid all outdoor physical activity; everyone else should avoid prolonged or heavy exertion.',
  hazardous:
    'Everyone should avoid all outdoor physical activity; sensitive groups should remain indoors and keep activity levels low.',
};

const ADVICE: Record<AqiCategoryKey, { general: string; sensitive: string; actions: string[] }> = {
  good: {
    general: 'Air quality is satisfactory. Enjoy normal outdoor activities.',
    sensitive: 'Air quality is satisfactory; normal outdoor activities are fine.',
    actions: [],
  },
  moderate: {
    general: 'Air quality is acceptable. Normal outdoor activities are fine.',
    sensitive:
      'If you are unusually sensitive, consider reducing prolonged or heavy exertion outdoors and watch for symptoms such as coughing or shortness of breath.',
    actions: ['Unusually sensitive people: take more breaks and do less intense outdoor activity.'],
  },
  usg: {
    general: 'Most people are unlikely to be affected; outdoor activities are fine.',
    sensitive:
      'Reduce prolonged or heavy exertion outdoors. Take more breaks, do lighter activities, and keep quick-relief medicine at hand if you have asthma.',
    actions: [
      'Move longer or more intense activities indoors or to a time when the air is cleaner.',
      'Keep asthma medicine nearby.',
    ],
  },
  unhealthy: {
    general: 'Reduce prolonged or heavy exertion outdoors; take more breaks.',
    sensitive: 'Avoid prolonged or heavy exertion outdoors. Move activities indoors or reschedule them.',
    actions: [
      'Move school sport and play indoors.',
      'Keep windows closed if the outdoor air is worse than indoors.',
      'A well-fitting N95/FFP2 mask reduces exposure to particles outdoors.',
    ],
  },
  very_unhealthy: {
    general: 'Avoid prolonged or heavy exertion outdoors. Consider moving activities indoors.',
    sensitive:
      'Avoid all physical activity outdoors. Stay indoors with windows closed; use an air purifier if you have one.',
    actions: [
      'Cancel or move outdoor events.',
      'Run an air purifier (HEPA) in the room where you spend most time.',
      'Wear an N95/FFP2 mask if you must go out.',
    ],
  },
  hazardous: {
    general: 'Avoid all physical activity outdoors. Stay indoors and keep activity levels low.',
    sensitive:
      'Remain indoors and keep activity levels low. Follow local health advice; seek medical help if symptoms appear.',
    actions: [
      'Stay indoors with windows and doors closed.',
      'Run an air purifier (HEPA).',
      'Wear an N95/FFP2 mask if you must go out; follow official emergency advice.',
    ],
  },
};

interface HealthAdvice {
  category: string;
  categoryKey: AqiCategoryKey;
  color: string;
  aqiRange: string;
  group: HealthGroup;
  groupLabel: string;
  isSensitiveGroup: boolean;
  advice: string;
  cautionaryStatement: string;
  actions: string[];
  source: string;
}

export function parseGroup(input: string | undefined | null): HealthGroup | null {
  if (input == null || input === '') return 'general';
  const s = input
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const aliases: Record<string, HealthGroup> = {
    everyone: 'general',
    public: 'general',
    general_public: 'general',
    sensitive_groups: 'sensitive',
    kids: 'children',
    child: 'children',
    school: 'children',
    schoolchildren: 'children',
    elderly: 'older_adults',
    older: 'older_adults',
    seniors: 'older_adults',
    asthma: 'heart_lung',
    asthmatics: 'heart_lung',
    heart_disease: 'heart_lung',
    lung_disease: 'heart_lung',
    pregnancy: 'pregnant',
    workers: 'outdoor_workers',
    exercise: 'athletes',
    runners: 'athletes',
  };
  if ((HEALTH_GROUPS as readonly string[]).includes(s)) return s as HealthGroup;
  return aliases[s] ?? null;
}

/** Health advice for a category (name, key or AQI number) and group, following EPA's messages. */
export function getHealthAdvice(
  category: AqiCategory | string | number,
  group: HealthGroup = 'general',
): HealthAdvice | null {
  const cat = typeof category === 'object' ? category : parseCategory(category);
  if (!cat) return null;
  const sensitive = SENSITIVE.has(group);
  const a = ADVICE[cat.key];
  let advice = sensitive ? a.sensitive : a.general;
  if ((group === 'athletes' || group === 'outdoor_workers') && cat.key !== 'good') {
    advice +=
      ' Heavy exertion raises the dose inhaled: schedule hard work or training for cleaner hours and take more breaks.';
  }
  return {
    category: cat.name,
    categoryKey: cat.key,
    color: cat.color,
    aqiRange: `${cat.min}–${cat.max}${cat.key === 'hazardous' ? '+' : ''}`,
    group,
    groupLabel: GROUP_LABELS[group],
    isSensitiveGroup: sensitive,
    advice,
    cautionaryStatement: PM_CAUTIONARY[cat.key],
    actions: sensitive || cat.key === 'very_unhealthy' || cat.key === 'hazardous' ? a.actions : a.actions.slice(0, 1),
    source: 'US EPA AQI cautionary statements (2024)',
  };
}

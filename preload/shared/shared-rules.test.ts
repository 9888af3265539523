import { describe, expect, it } from 'vitest';
import { checkModelName, modelNameProblem, parseModelName, sameModel, withTag } from './model-name';
import { STYLE_CHOICES, STYLE_NAMES, isStyleName } from './style-presets';
import { formatContext, formatGb, memSize } from './units';

describe('model-name grammar (engine and UI)', () => {
  it('parses the three shapes Ollama accepts, filling in registry, namespace and tag', () => {
    expect(parseModelName('qwen2.5')).toEqual({
      host: 'registry.ollama.ai',
      namespace: 'library',
      model: 'qwen2.5',
      tag: 'latest',
    });
    expect(parseModelName('user/model:q4')).toMatchObject({ namespace: 'user', model: 'model', tag: 'q4' });
    expect(parseModelName('box.lan:5000/team/m:1')).toMatchObject({ host: 'box.lan:5000', namespace: 'team' });
  });

  it('says what is wrong with a bad name, and the engine refuses the same names', () => {
    const bad: Array<[string, RegExp]> = [
      ['', /Type a model name/],
      ['qwen 2.5', /no spaces/],
      ['a/b/c/d', /Too many "\/"/],
      ['-x', /not a valid model name/],
      ['m:bad!tag', /not a valid tag/],
      ['na.me/m', /not a valid namespace/],
    ];
    for (const [name, why] of bad) {
      expect(modelNameProblem(name)).toMatch(why);
      expect(parseModelName(name)).toBeNull();
      expect(checkModelName(name).ok).toBe(false);
    }
    expect(modelNameProblem('qwen2.5:3b')).toBeNull();
  });

  it('treats a missing tag as latest', () => {
    expect(sameModel('qwen2.5', 'qwen2.5:latest')).toBe(true);
    expect(sameModel('qwen2.5:3b', 'qwen2.5:7b')).toBe(false);
    expect(withTag('host:5000/ns/m')).toBe('host:5000/ns/m:latest');
    expect(withTag('m:3b')).toBe('m:3b');
  });
});

describe('style presets', () => {
  it('offers every style in the picker, once', () => {
    expect(STYLE_CHOICES.map((c) => c.value).sort()).toEqual([...STYLE_NAMES].sort());
    expect(isStyleName('policy')).toBe(true);
    expect(isStyleName('poetic')).toBe(false);
  });
});

describe('units', () => {
  it('writes memory in binary units labelled GB, and context in k', () => {
    expect(formatGb(12 * 1024 ** 3)).toBe('12 GB');
    expect(formatGb(512 * 1024 ** 2)).toBe('512 MB');
    expect(memSize(1.5 * 1024 ** 3)).toBe('1.5 GB');
    expect(memSize(null)).toBe('?');
    expect(formatContext(131072)).toBe('128k');
    expect(formatContext(1000)).toBe('1000');
  });
});

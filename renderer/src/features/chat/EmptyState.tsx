import { useApp } from '../../stores/app-store';

const EXAMPLES = [
  'How is the air in Kampala now, and is it safe for the school run?',
  'What does a PM2.5 AQI of 160 mean for people with asthma?',
  'Compare the WHO 2021 PM2.5 guideline with the US EPA standard.',
  'Draft a short public health advisory for a smoky day.',
];

export function EmptyState() {
  const models = useApp((s) => s.models);
  const modelsError = useApp((s) => s.modelsError);
  const { send, openSettings } = useApp.getState();
  return (
    <div className="empty">
      <div className="empty-hero">
        <img src="./icon.svg" alt="" width={56} height={56} />
        <h2>What would you like to know about the air?</h2>
        <p className="muted">AERIS-AQ answers with a local model on this laptop. Your conversations never leave it.</p>
      </div>
      {modelsError ? (
        <div className="card warn">
          <strong>Ollama is not reachable.</strong> {modelsError}{' '}
          <button className="link-btn" onClick={() => openSettings(true)}>
            Check the Ollama host
          </button>
        </div>
      ) : models.length === 0 ? (
        <div className="card warn">
          <strong>No model installed yet.</strong> Run <code>ollama pull qwen2.5:3b</code> (about 1.9 GB), or import a
          model from a USB drive.
        </div>
      ) : null}
      <div className="examples">
        {EXAMPLES.map((q) => (
          <button
            key={q}
            className="example"
            onClick={() => void send(q).catch(() => undefined)}
            disabled={models.length === 0}
          >
            {q}
          </button>
        ))}
      </div>
    </div>
  );
}

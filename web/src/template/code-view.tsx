/**
 * Highlighted source text with line numbers; a marked line (and column) for showing where a problem is.
 */
import { highlight } from './highlight.js';

/** Shows `text` (all of it, or `from`..`to` lines, 1-based), marking `markLine` and `markColumn`. */
export function CodeView(props: {
  text: string;
  label: string;
  markLine?: number;
  markColumn?: number;
  from?: number;
  to?: number;
}) {
  const lines = highlight(props.text);
  const from = Math.max(1, props.from ?? 1);
  const to = Math.min(lines.length, props.to ?? lines.length);
  const shown = lines.slice(from - 1, to);
  return (
    <pre class="code" aria-label={props.label} tabIndex={0}>
      <code>
        {shown.map((tokens, i) => {
          const n = from + i;
          const marked = n === props.markLine;
          return (
            <span key={n} class={`line${marked ? ' marked' : ''}`} data-line={n}>
              <span class="ln" aria-hidden="true">
                {n}
              </span>
              {tokens.map((t, k) => (
                <span key={k} class={`tok-${t.kind}`}>
                  {t.text}
                </span>
              ))}
              {'\n'}
              {marked && props.markColumn !== undefined ? (
                <span class="caret-line" aria-hidden="true">
                  <span class="ln" />
                  {' '.repeat(Math.max(0, props.markColumn - 1))}^{'\n'}
                </span>
              ) : null}
            </span>
          );
        })}
      </code>
    </pre>
  );
}

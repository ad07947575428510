import { dictGet } from './python-object.ts';
import type { PyObject } from './python-value.ts';

/**
 * Returns what `repr()` gives for a `metaflow.exception.MetaflowExceptionWrapper`, the class
 * Metaflow stores a step's exception in (`_exception`, `@catch` variables), or `undefined` for
 * any other object. In Metaflow 2.19.38 its repr is `str(self)`: the formatted traceback, or
 * `[no stacktrace]\n<type>: <message>` when none was captured. Its pickle's BUILD state is the
 * instance `__dict__` with `exception`, `type` and `stacktrace`.
 */
export function exceptionWrapperText(value: PyObject): string | undefined {
  if (value.module !== 'metaflow.exception' || value.qualname !== 'MetaflowExceptionWrapper') {
    return undefined;
  }

  const stacktrace = dictGet(value.state, 'stacktrace');
  if (stacktrace?.kind === 'str' && stacktrace.value !== '') {
    return stacktrace.value;
  }

  const type = dictGet(value.state, 'type');
  const message = dictGet(value.state, 'exception');
  if (type?.kind === 'str' && message?.kind === 'str') {
    return `[no stacktrace]\n${type.value}: ${message.value}`;
  }
  return undefined;
}

import type { PyValue } from './python-value.ts';

/**
 * Returns the Python type name as `type(value).__module__ + '.' + __qualname__` gives it, with
 * the `builtins.` prefix left out: `float`, `NoneType`, `datetime.datetime`, `numpy.ndarray`,
 * `__main__.ForeachFrame`. A bare class or function reference gives `global`, which is not a
 * Python type: telling `type` from `function` would need importing the module.
 */
export function pythonTypeName(value: PyValue): string {
  switch (value.kind) {
    case 'none':
      return 'NoneType';
    case 'bool':
    case 'int':
    case 'float':
    case 'complex':
    case 'str':
    case 'bytes':
    case 'bytearray':
    case 'list':
    case 'tuple':
    case 'set':
    case 'frozenset':
    case 'dict':
    case 'range':
      return value.kind;
    case 'decimal':
      return 'decimal.Decimal';
    case 'date':
    case 'time':
    case 'datetime':
    case 'timedelta':
    case 'timezone':
      return `datetime.${value.kind}`;
    case 'zoneinfo':
      return 'zoneinfo.ZoneInfo';
    case 'global':
      return 'global';
    case 'object':
      return qualifiedName(value.module, value.qualname);
    default:
      return value satisfies never;
  }
}

/** Joins a module and a qualified name the way `type_qualname` does, dropping `builtins`. */
export function qualifiedName(module: string, qualname: string): string {
  return module === 'builtins' ? qualname : `${module}.${qualname}`;
}

/**
 * Every function name of yaql's standard library (yaql/standard_library/*.py, camelCase convention).
 * A name here that Hearth does not implement is reported as "not supported by Hearth's yaql subset";
 * any other unknown name gets yaql's own `Unknown function "x"`.
 */
export const YAQL_STANDARD_FUNCTIONS: ReadonlySet<string> = new Set(
  (
    'abs accumulate add aggregate all any append assert bitwiseAnd bitwiseNot bitwiseOr bitwiseXor bool call ' +
    'characters coalesce concat contains containsKey containsValue count cycle datetime day days def defaultIfEmpty ' +
    'delete deleteAll dict difference distinct endsWith enumerate escapeRegex examine filter first flatten float ' +
    'format generate generateMany get groupBy hex hour hours indexOf indexWhere insert insertMany int intersect ' +
    'isBoolean isDatetime isDict isEmpty isInteger isIterable isList isNumber isRegex isSet isString isTimespan ' +
    'items join keys lambda last lastIndexOf lastIndexWhere len let limit list localtz map matches max memorize ' +
    'mergeWith microseconds milliseconds min minute minutes month norm now orderBy orderByDescending pow random ' +
    'range reduce regex remove repeat replace replaceBy replaceMany reverse rightSplit round search searchAll ' +
    'second seconds select selectAllCases selectCase selectMany sequence set shiftBitsLeft shiftBitsRight sign ' +
    'single skip skipWhile slice sliceWhere split splitAt splitWhere startsWith str substring sum switch ' +
    'switchCase symmetricDifference take takeWhile thenBy thenByDescending timespan toCharArray toDict toList ' +
    'toLower toSet toUpper trim trimLeft trimRight union unpack utctz values where with year zip zipLongest'
  ).split(' '),
);

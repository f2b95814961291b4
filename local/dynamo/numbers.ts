/**
 * DynamoDB numbers, exactly: up to 38 significant digits, magnitudes from 1E-130 to below 1E+126, compared and added
 * as decimals (never through a float, which would make 0.1 + 0.2 ≠ 0.3 and 2^53 + 1 = 2^53). A stored number is
 * normalized the way DynamoDB returns it: plain notation, no leading or trailing zeros, no exponent ("1.50" → "1.5",
 * "1e3" → "1000", "-0" → "0").
 */
import { validationError } from './errors';

/** The value is `±0.d1d2d3… × 10^(exponent + 1)`: `digits` has no leading or trailing zero, "" for zero. */
export interface Decimal {
  readonly negative: boolean;
  readonly digits: string;
  /** Power of ten of the first digit (scientific exponent); 0 for zero. */
  readonly exponent: number;
}

const NUMBER_SYNTAX = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const MAX_DIGITS = 38;
const MAX_EXPONENT = 125;
const MIN_EXPONENT = -130;
const ZERO: Decimal = { negative: false, digits: '', exponent: 0 };

/** The decimal a DynamoDB number string stands for, or undefined when it is not one. */
export function parseDecimal(text: string): Decimal | undefined {
  const match = NUMBER_SYNTAX.exec(text);
  if (match === null) return undefined;
  const whole = match[2] ?? '';
  const fraction = match[3] ?? '';
  if (whole === '' && fraction === '') return undefined;
  if (whole === '' && match[3] === undefined) return undefined;
  const all = whole + fraction;
  let start = 0;
  while (start < all.length && all.charCodeAt(start) === 48) start++;
  if (start === all.length) return ZERO;
  let end = all.length;
  while (all.charCodeAt(end - 1) === 48) end--;
  const power = match[4] === undefined ? 0 : Number(match[4]);
  return { negative: match[1] === '-', digits: all.slice(start, end), exponent: whole.length - start - 1 + power };
}

/**
 * The normalized text of a number from a request, or a ValidationException with DynamoDB's message for a string that
 * is not a number or is out of DynamoDB's range.
 */
export function normalizeNumber(text: string): string {
  if (text === '') throw validationError('The parameter cannot be converted to a numeric value');
  const value = parseDecimal(text);
  if (value === undefined) throw validationError(`The parameter cannot be converted to a numeric value: ${text}`);
  checkRange(value);
  return formatDecimal(value);
}

function checkRange(value: Decimal): void {
  if (value.exponent > MAX_EXPONENT) {
    throw validationError('Number overflow. Attempting to store a number with magnitude larger than supported range');
  }
  if (value.exponent < MIN_EXPONENT) {
    throw validationError('Number underflow. Attempting to store a number with magnitude smaller than supported range');
  }
  if (value.digits.length > MAX_DIGITS) {
    throw validationError('Attempting to store more than 38 significant digits in a Number');
  }
}

/** Plain decimal notation, as DynamoDB returns numbers. */
export function formatDecimal(value: Decimal): string {
  const { digits, exponent } = value;
  if (digits === '') return '0';
  let text: string;
  if (exponent < 0) text = `0.${'0'.repeat(-exponent - 1)}${digits}`;
  else if (digits.length <= exponent + 1) text = digits + '0'.repeat(exponent + 1 - digits.length);
  else text = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
  return value.negative ? `-${text}` : text;
}

/** Sign of a − b for two normalized number strings. */
export function compareNumbers(a: string, b: string): number {
  if (a === b) return 0;
  return compareDecimals(parseDecimal(a) ?? ZERO, parseDecimal(b) ?? ZERO);
}

function compareDecimals(a: Decimal, b: Decimal): number {
  const signA = a.digits === '' ? 0 : a.negative ? -1 : 1;
  const signB = b.digits === '' ? 0 : b.negative ? -1 : 1;
  if (signA !== signB) return signA < signB ? -1 : 1;
  if (signA === 0) return 0;
  let magnitude: number;
  if (a.exponent !== b.exponent) magnitude = a.exponent < b.exponent ? -1 : 1;
  else magnitude = a.digits < b.digits ? -1 : a.digits > b.digits ? 1 : 0;
  return signA * magnitude;
}

/** a + b (or a − b) of two normalized number strings, exactly; out of DynamoDB's range is a ValidationException. */
export function addNumbers(a: string, b: string, subtract = false): string {
  const x = parseDecimal(a) ?? ZERO;
  const y = parseDecimal(b) ?? ZERO;
  // Each as an integer times 10^scale, the scale being the power of ten of its last digit.
  const scaleX = x.exponent - x.digits.length + 1;
  const scaleY = y.exponent - y.digits.length + 1;
  const scale = Math.min(scaleX, scaleY);
  const intX = toBigInt(x) * 10n ** BigInt(scaleX - scale);
  const intY = toBigInt(y) * 10n ** BigInt(scaleY - scale);
  const sum = subtract ? intX - intY : intX + intY;
  if (sum === 0n) return '0';
  const negative = sum < 0n;
  const text = (negative ? -sum : sum).toString();
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  const result: Decimal = { negative, digits: text.slice(0, end), exponent: scale + text.length - 1 };
  checkRange(result);
  return formatDecimal(result);
}

function toBigInt(value: Decimal): bigint {
  if (value.digits === '') return 0n;
  const magnitude = BigInt(value.digits);
  return value.negative ? -magnitude : magnitude;
}

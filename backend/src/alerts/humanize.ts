import { ValueUnit } from '../catalog/alerts/types';

/**
 * Prometheus' template functions (humanize, humanize1024, humanizeDuration, humanizePercentage),
 * reproduced so that the backend words a value exactly as a Prometheus or Grafana annotation does.
 */

/** Whether a double is exactly the decimal `digits` x 10^exponent (a true tie when rounding). */
function isExactly(value: number, digits: bigint, exponent: number): boolean {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(value));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const binaryExponent = (biased === 0 ? 1 : biased) - 1075;
  // digits * 10^exponent == mantissa * 2^binaryExponent, both sides scaled to integers.
  let left = digits * 10n ** BigInt(Math.max(0, exponent));
  let right = mantissa;
  if (exponent < 0) right *= 10n ** BigInt(-exponent);
  if (binaryExponent >= 0) right *= 2n ** BigInt(binaryExponent);
  else left *= 2n ** BigInt(-binaryExponent);
  return left === right;
}

/**
 * Four significant digits rounded as Go rounds: half to even on an exact tie (JavaScript rounds
 * ties up), as [digits without the point, decimal exponent of the first digit].
 */
function fourDigits(value: number): [string, number] {
  const [five, fiveExponent] = Math.abs(value).toExponential(4).split('e') as [string, string];
  const fiveDigits = five.replace('.', '');
  if (fiveDigits.endsWith('5') && isExactly(value, BigInt(fiveDigits), Number(fiveExponent) - 4)) {
    const head = fiveDigits.slice(0, 4);
    if (Number(head) % 2 === 0) return [head, Number(fiveExponent)];
  }
  const [mantissa, exponent] = Math.abs(value).toExponential(3).split('e') as [string, string];
  return [mantissa.replace('.', ''), Number(exponent)];
}

/** Go's fmt %.4g: 4 significant digits, trailing zeros dropped, exponent form outside 1e-4..1e4. */
export function goG4(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return '0';
  const sign = value < 0 ? '-' : '';
  const [digits, exponent] = fourDigits(value);
  if (exponent < -4 || exponent >= 4) {
    const mantissa = `${digits[0]}.${digits.slice(1)}`.replace(/\.?0+$/, '');
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const text =
    exponent >= 0
      ? `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`
      : `0.${'0'.repeat(-exponent - 1)}${digits}`;
  return sign + text.replace(/\.?0+$/, '').replace(/\.$/, '');
}

const BIG = ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
const SMALL = ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];

export function humanize(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return goG4(value);
  let v = value;
  let prefix = '';
  if (Math.abs(v) >= 1) {
    for (const p of BIG) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
  } else {
    for (const p of SMALL) {
      if (Math.abs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
  }
  return `${goG4(v)}${prefix}`;
}

export function humanize1024(value: number): string {
  if (Math.abs(value) <= 1 || !Number.isFinite(value)) return goG4(value);
  let v = value;
  let prefix = '';
  for (const p of ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return `${goG4(v)}${prefix}`;
}

export function humanizeDuration(value: number): string {
  if (!Number.isFinite(value)) return goG4(value);
  if (value === 0) return `${goG4(value)}s`;
  if (Math.abs(value) >= 1) {
    const sign = value < 0 ? '-' : '';
    const v = Math.abs(value);
    const duration = Math.trunc(v);
    const seconds = duration % 60;
    const minutes = Math.trunc(duration / 60) % 60;
    const hours = Math.trunc(duration / 3600) % 24;
    const days = Math.trunc(duration / 86_400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${goG4(v)}s`;
  }
  let v = value;
  let prefix = '';
  for (const p of SMALL) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${goG4(v)}${prefix}s`;
}

export function humanizePercentage(value: number): string {
  return `${goG4(value * 100)}%`;
}

/** The template function for a unit: the name Prometheus and Grafana know it by. */
export const HUMANIZER: Record<ValueUnit, { fn: string; format: (value: number) => string }> = {
  ratio: { fn: 'humanizePercentage', format: humanizePercentage },
  seconds: { fn: 'humanizeDuration', format: humanizeDuration },
  bytes: { fn: 'humanize1024', format: humanize1024 },
  count: { fn: 'humanize', format: humanize },
  number: { fn: 'humanize', format: humanize },
};

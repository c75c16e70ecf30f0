// A PAN is 13–19 digits, possibly grouped by spaces or dashes. Only Luhn-valid runs are masked in
// general text, so order numbers and RRNs survive; in a card field every such run is masked.
const PAN_LIKE = /(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])/g;
const QUICK = /\d{4}[ -]?\d{4}[ -]?\d{4}/;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function maskDigits(digits: string): string {
  return digits.slice(0, 6) + '*'.repeat(digits.length - 10) + digits.slice(-4);
}

/** Masks every full card number in free text: first 6 and last 4 digits stay. */
export function maskPans(text: string): string {
  if (!QUICK.test(text)) return text;
  return text.replace(PAN_LIKE, (run) => {
    const digits = run.replace(/[ -]/g, '');
    return digits.length >= 13 && digits.length <= 19 && luhnValid(digits) ? maskDigits(digits) : run;
  });
}

/** For a field that holds a card reference: any 13–19 digit run is a PAN, Luhn or not. */
export function maskCardField(text: string): string {
  return text.replace(PAN_LIKE, (run) => {
    const digits = run.replace(/[ -]/g, '');
    return digits.length >= 13 && digits.length <= 19 ? maskDigits(digits) : run;
  });
}

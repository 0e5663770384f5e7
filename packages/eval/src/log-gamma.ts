// ln Γ(x) for x > 0, accurate to about 1e-15 relative: the expected mutual
// information needs log-factorials of numbers up to the account count
// (≈ 110k), where factorials overflow any float. JavaScript has no lgamma.

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

// Stirling series coefficients B(2k) / (2k (2k − 1)) (Abramowitz & Stegun 6.1.40).
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156];

/** ln Γ(x), x > 0. Below 15 it shifts x up with Γ(x + 1) = x Γ(x), where the series converges well. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  let shift = 0;
  let product = 1;
  while (x < 15) {
    product *= x;
    x += 1;
    shift += 1;
  }
  const inverse = 1 / x;
  const inverseSquared = inverse * inverse;
  let series = 0;
  let power = inverse;
  for (const c of STIRLING) {
    series += c * power;
    power *= inverseSquared;
  }
  const value = (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series;
  return shift === 0 ? value : value - Math.log(product);
}

/** ln n! for a whole number n ≥ 0. */
export function logFactorial(n: number): number {
  return n < 2 ? 0 : logGamma(n + 1);
}

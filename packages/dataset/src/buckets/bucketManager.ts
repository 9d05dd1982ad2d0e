/**
 * kohya's aspect-ratio bucketing (library/model_util.make_bucket_resolutions and
 * library/train_util.BucketManager), reproduced number for number.
 */

export type Reso = [number, number];

/** The predefined buckets: every width from min to max in `divisible` steps with the largest height that
 * keeps the area within the training area, both ways round, plus the square one. Sorted like Python
 * sorts tuples. */
export function makeBucketResolutions(maxReso: Reso, minSize = 256, maxSize = 1024, divisible = 64): Reso[] {
  const [maxWidth, maxHeight] = maxReso;
  const maxArea = maxWidth * maxHeight;
  const set = new Set<string>();
  const add = (w: number, h: number) => set.add(`${w},${h}`);
  const square = Math.floor(Math.sqrt(maxArea) / divisible) * divisible;
  add(square, square);
  for (let width = minSize; width <= maxSize; width += divisible) {
    const height = Math.min(maxSize, Math.floor(Math.floor(maxArea / width) / divisible) * divisible);
    if (height >= minSize) {
      add(width, height);
      add(height, width);
    }
  }
  return [...set].map((key) => key.split(',').map(Number) as Reso).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

export interface BucketChoice {
  reso: Reso;
  resizedSize: Reso;
  arError: number;
}

export class BucketManager {
  private readonly predefined: Reso[] = [];
  private readonly predefinedSet = new Set<string>();
  private readonly predefinedRatios: number[] = [];
  private readonly maxArea: number;

  constructor(
    private readonly noUpscale: boolean,
    maxReso: Reso,
    private readonly resoSteps: number,
  ) {
    this.maxArea = maxReso[0] * maxReso[1];
  }

  setPredefinedResos(resos: Reso[]): void {
    this.predefined.length = 0;
    this.predefinedSet.clear();
    this.predefinedRatios.length = 0;
    for (const reso of resos) {
      this.predefined.push(reso);
      this.predefinedSet.add(`${reso[0]},${reso[1]}`);
      this.predefinedRatios.push(reso[0] / reso[1]);
    }
  }

  private roundToSteps(x: number): number {
    const n = Math.floor(x + 0.5);
    return n - (n % this.resoSteps);
  }

  selectBucket(width: number, height: number): BucketChoice {
    const aspect = width / height;
    let reso: Reso;
    let resizedSize: Reso;
    if (!this.noUpscale) {
      if (this.predefinedSet.has(`${width},${height}`)) reso = [width, height];
      else {
        // numpy argmin: the first of equal minima
        let best = 0;
        let bestError = Infinity;
        this.predefinedRatios.forEach((ratio, i) => {
          const error = Math.abs(ratio - aspect);
          if (error < bestError) {
            bestError = error;
            best = i;
          }
        });
        reso = this.predefined[best] ?? [width, height];
      }
      const resoRatio = reso[0] / reso[1];
      const scale = aspect > resoRatio ? reso[1] / height : reso[0] / width;
      resizedSize = [Math.floor(width * scale + 0.5), Math.floor(height * scale + 0.5)];
    } else {
      if (width * height > this.maxArea) {
        const resizedWidth = Math.sqrt(this.maxArea * aspect);
        const resizedHeight = this.maxArea / resizedWidth;
        const bWidthRounded = this.roundToSteps(resizedWidth);
        const bHeightInWr = this.roundToSteps(bWidthRounded / aspect);
        const arWidthRounded = bWidthRounded / bHeightInWr;
        const bHeightRounded = this.roundToSteps(resizedHeight);
        const bWidthInHr = this.roundToSteps(bHeightRounded * aspect);
        const arHeightRounded = bWidthInHr / bHeightRounded;
        resizedSize =
          Math.abs(arWidthRounded - aspect) < Math.abs(arHeightRounded - aspect)
            ? [bWidthRounded, Math.floor(bWidthRounded / aspect + 0.5)]
            : [Math.floor(bHeightRounded * aspect + 0.5), bHeightRounded];
      } else resizedSize = [width, height];
      reso = [
        resizedSize[0] - (resizedSize[0] % this.resoSteps),
        resizedSize[1] - (resizedSize[1] % this.resoSteps),
      ];
    }
    return { reso, resizedSize, arError: reso[0] / reso[1] - aspect };
  }
}

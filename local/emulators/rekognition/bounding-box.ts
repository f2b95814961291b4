/** A face's box in an image, as Rekognition writes it: fractions of the image's width and height. */
export interface BoundingBox {
  readonly Width: number;
  readonly Height: number;
  readonly Left: number;
  readonly Top: number;
}

package io.github.dl4jdropout.examples.uncertainty;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Rotates flattened square grey-scale images (such as MNIST's {@code [n, 784]} rows) about their centre, with
 * bilinear interpolation; pixels that come from outside the image are 0 (MNIST's background). Data preparation for
 * the uncertainty example, a plain loop: it runs once per angle, not in a training loop.
 */
public final class ImageRotation {

    private ImageRotation() {
    }

    /**
     * Rotates every row of {@code images} counter-clockwise (as the image is displayed, row 0 at the top) by
     * {@code degrees}.
     *
     * @param images  {@code [n, side * side]}, each row one image in row-major order
     * @param degrees rotation angle; negative values rotate clockwise
     * @return a new {@code [n, side * side]} float array
     * @throws IllegalArgumentException if {@code images} is not rank 2 with a square number of columns, or the angle
     *                                  is not finite
     */
    public static INDArray rotate(INDArray images, double degrees) {
        if (images.rank() != 2) {
            throw new IllegalArgumentException("images must be [n, side * side], got shape "
                    + java.util.Arrays.toString(images.shape()));
        }
        int pixels = (int) images.size(1);
        int side = (int) Math.round(Math.sqrt(pixels));
        if (side * side != pixels) {
            throw new IllegalArgumentException("images must have a square number of columns (784 for 28 x 28), got "
                    + pixels);
        }
        if (!Double.isFinite(degrees)) {
            throw new IllegalArgumentException("degrees must be finite, got " + degrees);
        }
        float[][] in = images.castTo(DataType.FLOAT).toFloatMatrix();
        int n = in.length;
        float[][] out = new float[n][pixels];
        double theta = Math.toRadians(degrees);
        double cos = Math.cos(theta);
        double sin = Math.sin(theta);
        double centre = (side - 1) / 2.0;
        for (int row = 0; row < side; row++) {
            for (int col = 0; col < side; col++) {
                // Output pixel in centred coordinates with y pointing up; its source is rotated by -theta.
                double x = col - centre;
                double y = centre - row;
                double sourceX = cos * x + sin * y;
                double sourceY = -sin * x + cos * y;
                double sourceCol = centre + sourceX;
                double sourceRow = centre - sourceY;
                int c0 = (int) Math.floor(sourceCol);
                int r0 = (int) Math.floor(sourceRow);
                double fc = sourceCol - c0;
                double fr = sourceRow - r0;
                int target = row * side + col;
                for (int i = 0; i < n; i++) {
                    float[] src = in[i];
                    double v = (1 - fr) * ((1 - fc) * pixel(src, side, r0, c0) + fc * pixel(src, side, r0, c0 + 1))
                            + fr * ((1 - fc) * pixel(src, side, r0 + 1, c0) + fc * pixel(src, side, r0 + 1, c0 + 1));
                    out[i][target] = (float) v;
                }
            }
        }
        return Nd4j.create(out);
    }

    private static double pixel(float[] image, int side, int row, int col) {
        return row < 0 || row >= side || col < 0 || col >= side ? 0.0 : image[row * side + col];
    }
}

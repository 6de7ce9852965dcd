package io.github.dl4jdropout.examples.uncertainty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Rotation of flattened 28 x 28 images. */
class ImageRotationTest {

    // Bilinear weights at multiples of 90 degrees are 0 or 1 up to cos/sin rounding (about 1e-16 per pixel).
    private static final double ROUNDING = 1e-5;

    private static INDArray onePixel(int row, int col) {
        INDArray img = Nd4j.zeros(1, 28 * 28);
        img.putScalar(0, row * 28 + col, 1.0);
        return img;
    }

    @Test
    void zeroDegreesIsTheIdentity() {
        INDArray images = Nd4j.rand(3, 784);
        assertThat(ImageRotation.rotate(images, 0).equalsWithEps(images, ROUNDING)).isTrue();
    }

    @Test
    void ninetyDegreesTurnsCounterClockwise() {
        // Pixel (row 3, col 10) sits 3.5 left of and 10.5 above the centre (13.5, 13.5); a quarter turn
        // counter-clockwise puts it 10.5 left of and 3.5 below the centre: (row 17, col 3).
        INDArray rotated = ImageRotation.rotate(onePixel(3, 10), 90);
        assertThat(rotated.getDouble(0, 17 * 28 + 3)).isCloseTo(1.0, org.assertj.core.api.Assertions.within(ROUNDING));
        assertThat(rotated.sumNumber().doubleValue()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(ROUNDING));
    }

    @Test
    void halfTurnFlipsBothAxes() {
        INDArray images = Nd4j.rand(2, 784);
        INDArray flipped = Nd4j.zeros(2, 784);
        for (int i = 0; i < 2; i++) {
            for (int p = 0; p < 784; p++) {
                flipped.putScalar(i, 783 - p, images.getDouble(i, p));
            }
        }
        assertThat(ImageRotation.rotate(images, 180).equalsWithEps(flipped, ROUNDING)).isTrue();
    }

    @Test
    void rejectsNonSquareImages() {
        assertThatThrownBy(() -> ImageRotation.rotate(Nd4j.zeros(2, 10), 15))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10");
    }
}

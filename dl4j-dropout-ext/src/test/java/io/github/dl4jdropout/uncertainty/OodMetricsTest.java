package io.github.dl4jdropout.uncertainty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.ROC;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * OOD metrics of a small example computed by hand (tolerance 1e-12), and the comparison with DL4J's exact
 * {@link ROC} that decided not to use it.
 */
class OodMetricsTest {

    private static final double EPS = 1e-12;
    private static final double[] IN = {0.1, 0.4, 0.35, 0.8};
    private static final double[] OUT = {0.9, 0.4, 0.7};

    @Test
    void handComputedMetricsWithATie() {
        OodMetrics m = OodMetrics.of(IN, OUT);
        // Pairs (out > in) + 1/2 (out == in): 0.9 beats 4; 0.4 beats 0.1, 0.35 and ties 0.4; 0.7 beats 3.
        assertThat(m.auroc()).isCloseTo(9.5 / 12, within(EPS));
        // Descending thresholds 0.9 (out), 0.8 (in), 0.7 (out), 0.4 (in + out), ...:
        // AP = 1/3 * 1 + 1/3 * 2/3 + 1/3 * 3/5.
        assertThat(m.auprOut()).isCloseTo(34.0 / 45, within(EPS));
        // In as positives on negated scores: 1/4 * 1 + 1/4 * 1 + 1/4 * 3/4 + 1/4 * 4/6.
        assertThat(m.auprIn()).isCloseTo(41.0 / 48, within(EPS));
        // 95% of 3 OOD inputs needs all 3: threshold 0.4, and in-distribution 0.4 and 0.8 reach it.
        assertThat(m.thresholdAtTpr(0.95)).isEqualTo(0.4);
        assertThat(m.fprAt95Tpr()).isCloseTo(0.5, within(EPS));
        assertThat(m.fprAtTpr(0.6)).isCloseTo(0.25, within(EPS)); // 2 of 3: threshold 0.7
        assertThat(m.inDistributionCount()).isEqualTo(4);
        assertThat(m.outOfDistributionCount()).isEqualTo(3);
    }

    @Test
    void perfectAndReversedSeparation() {
        OodMetrics perfect = OodMetrics.of(new double[] {0, 1}, new double[] {2, 3});
        assertThat(perfect.auroc()).isEqualTo(1.0);
        assertThat(perfect.auprOut()).isEqualTo(1.0);
        assertThat(perfect.auprIn()).isEqualTo(1.0);
        assertThat(perfect.fprAt95Tpr()).isEqualTo(0.0);
        OodMetrics reversed = OodMetrics.of(new double[] {2, 3}, new double[] {0, 1});
        assertThat(reversed.auroc()).isEqualTo(0.0);
        assertThat(reversed.fprAt95Tpr()).isEqualTo(1.0);
        OodMetrics tied = OodMetrics.of(new double[] {1, 1, 1}, new double[] {1});
        assertThat(tied.auroc()).isEqualTo(0.5);
        assertThat(tied.auprOut()).isCloseTo(0.25, within(EPS)); // one threshold: precision = share of OOD
    }

    @Test
    void aurocAgreesWithPairCountingWithManyTies() {
        Random rng = new Random(3);
        double[] in = new double[300];
        double[] out = new double[200];
        for (int i = 0; i < in.length; i++) {
            in[i] = Math.round(rng.nextGaussian() * 4) / 4.0;   // rounded to quarters: many ties
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.round((rng.nextGaussian() + 0.7) * 4) / 4.0;
        }
        double pairs = 0;
        for (double o : out) {
            for (double n : in) {
                pairs += o > n ? 1 : o == n ? 0.5 : 0;
            }
        }
        // Sums of halves over 60,000 pairs are exact in double: 1e-12 covers the final division.
        assertThat(OodMetrics.of(in, out).auroc()).isCloseTo(pairs / (in.length * out.length), within(EPS));
    }

    @Test
    void agreesWithDl4jRocWithoutTies() {
        Random rng = new Random(3);
        double[] in = new double[300];
        double[] out = new double[200];
        for (int i = 0; i < in.length; i++) {
            in[i] = rng.nextDouble();
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = 0.3 + 0.7 * rng.nextDouble();
        }
        // DL4J stores the scores in float: agreement to 1e-6 (no two of these 500 doubles share a float here).
        assertThat(OodMetrics.of(in, out).auroc()).isCloseTo(dl4jAuroc(in, out), within(1e-6));
    }

    @Test
    void dl4jRocDependsOnTheOrderWithinTiesSoTheToolkitDoesNotUseIt() {
        // Every score tied: the ROC is the diagonal and the AUROC 1/2 whatever the order of the examples.
        double[] in = {0.5, 0.5, 0.5, 0.5};
        double[] out = {0.5, 0.5, 0.5, 0.5};
        assertThat(OodMetrics.of(in, out).auroc()).isEqualTo(0.5);
        // DL4J's exact ROC walks the sorted examples one by one, so tied positives and negatives make a staircase
        // whose area is that of whatever order the sort left them in, not 1/2.
        assertThat(dl4jAuroc(in, out)).isNotCloseTo(0.5, within(1e-3));
    }

    private static double dl4jAuroc(double[] in, double[] out) {
        int n = in.length + out.length;
        INDArray scores = Nd4j.create(DataType.DOUBLE, n, 1);
        INDArray labels = Nd4j.create(DataType.DOUBLE, n, 1);
        for (int i = 0; i < in.length; i++) {
            scores.putScalar(i, 0, in[i]);
        }
        for (int i = 0; i < out.length; i++) {
            scores.putScalar(in.length + i, 0, out[i]);
            labels.putScalar(in.length + i, 0, 1.0);
        }
        ROC roc = new ROC(0);
        roc.eval(labels, scores);
        return roc.calculateAUC();
    }

    @Test
    void invalidArguments() {
        assertThatThrownBy(() -> OodMetrics.of(new double[0], OUT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inDistribution must hold at least one score");
        assertThatThrownBy(() -> OodMetrics.of(IN, new double[] {Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outOfDistribution[0]");
        assertThatThrownBy(() -> OodMetrics.of(IN, OUT).fprAtTpr(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tpr must be in (0, 1], got 1.5");
    }
}

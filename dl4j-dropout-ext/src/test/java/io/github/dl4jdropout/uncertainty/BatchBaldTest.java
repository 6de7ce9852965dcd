package io.github.dl4jdropout.uncertainty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BatchBALD on a pool whose information content is known in closed form. The T = 4 samples stand for four equally
 * likely parameter values w = (bit1, bit2). Point A reveals bit1 exactly, A2 is a copy of A, C reveals bit2 through
 * a 10% label flip, B is a fair coin whatever w is, and D reveals bit1 XOR bit2 through a 20% flip.
 */
class BatchBaldTest {

    private static final double LN2 = Math.log(2);
    private static final double H_01 = -(0.9 * Math.log(0.9) + 0.1 * Math.log(0.1)); // binary entropy of 0.1

    private static INDArray pool() {
        double[][] a = {{1, 0}, {1, 0}, {0, 1}, {0, 1}};
        double[][] c = {{0.9, 0.1}, {0.1, 0.9}, {0.9, 0.1}, {0.1, 0.9}};
        double[][] b = {{0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}, {0.5, 0.5}};
        double[][] d = {{0.8, 0.2}, {0.2, 0.8}, {0.2, 0.8}, {0.8, 0.2}};
        double[][][] samples = new double[4][][];
        for (int t = 0; t < 4; t++) {
            samples[t] = new double[][] {a[t], a[t].clone(), c[t], b[t], d[t]};
        }
        return Nd4j.createFromArray(samples); // [T = 4, N = 5, k = 2]
    }

    @Test
    void greedyBatchSkipsTheDuplicateThatTopKBaldTakes() {
        double[] bald = UncertaintyScore.MUTUAL_INFORMATION.ofSamples(pool());
        assertThat(bald[0]).isCloseTo(LN2, within(1e-12));
        assertThat(bald[2]).isCloseTo(LN2 - H_01, within(1e-12));
        assertThat(Acquisition.topK(bald, 2)).containsExactly(0, 1); // A and its copy

        BatchBald.Selection s = BatchBald.builder().build().select(pool(), 2);
        assertThat(s.indices()).containsExactly(0, 2);
        assertThat(s.exact()).isTrue();
        // I(A; w) = ln 2. A and C are independent bits: H(A, C) = 2 ln 2, H(A | w) = 0, H(C | w) = H(0.1).
        assertThat(s.scores()[0]).isCloseTo(LN2, within(1e-12));
        assertThat(s.scores()[1]).isCloseTo(2 * LN2 - H_01, within(1e-12));
    }

    @Test
    void aBatchOfOneIsTheBaldArgMax() {
        BatchBald.Selection s = BatchBald.builder().build().select(pool(), 1);
        assertThat(s.indices()).containsExactly(0);
        assertThat(s.scores()[0]).isCloseTo(LN2, within(1e-12));
    }

    @Test
    void sampledConfigurationsEstimateTheExactJointEntropy() {
        BatchBald.Selection exact = BatchBald.builder().build().select(pool(), 3);
        assertThat(exact.exact()).isTrue();
        assertThat(exact.indices()).containsExactly(0, 2, 4);
        // A limit of 2 configurations leaves only the first step exact.
        BatchBald.Selection sampled = BatchBald.builder().maxExactConfigurations(2).sampledConfigurations(20_000)
                .seed(5).build().select(pool(), 3);
        assertThat(sampled.exactAt(0)).isTrue();
        assertThat(sampled.exactAt(1)).isFalse();
        assertThat(sampled.exact()).isFalse();
        assertThat(sampled.indices()).containsExactly(0, 2, 4);
        // Each importance-weighted term lies in [0, -log min p(config)] with min p(config) >= 1/4 * 0.1 * 0.2 = 0.005,
        // so its standard deviation is at most ln(200) / 2 = 2.65 and the standard error with M = 20,000 below 0.019:
        // 0.1 is over 5 standard errors.
        for (int j = 1; j < 3; j++) {
            assertThat(sampled.scores()[j]).isCloseTo(exact.scores()[j], within(0.1));
        }
        assertThat(sampled.toString()).contains("~");
    }

    @Test
    void invalidArguments() {
        assertThatThrownBy(() -> BatchBald.builder().maxExactConfigurations(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxExactConfigurations must be >= 1, got 0");
        assertThatThrownBy(() -> BatchBald.builder().sampledConfigurations(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got -1");
        assertThatThrownBy(() -> BatchBald.builder().build().select(pool(), 6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k must be in [1, 5]");
        assertThatThrownBy(() -> BatchBald.builder().build().select(Nd4j.ones(2, 2), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[T, n, k]");
    }
}

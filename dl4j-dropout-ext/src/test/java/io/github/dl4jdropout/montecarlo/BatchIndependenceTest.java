package io.github.dl4jdropout.montecarlo;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * BatchNormalization must use its running statistics during sampling, so that an example's predictive distribution
 * does not depend on the other examples in its minibatch (it does with DL4J's {@code output(x, true)}).
 */
class BatchIndependenceTest {

    private static final int N = 16;

    @Test
    void exampleAloneAndInBatchGetTheSameOutputWhenDropoutKeepsEverything() {
        // A dropout class the evaluator does not know counts as stochastic; this one changes nothing, so every sample
        // must equal standard inference exactly, whatever the batch, if and only if BatchNorm runs in inference mode.
        MultiLayerNetwork net = TestNets.trainedClassifierWithBatchNorm(new IdentityDropout());
        INDArray x = TestNets.classificationData(N, 5).getFeatures();
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(4).build();
        McPrediction batch = mc.predict(x);
        INDArray standard = net.output(x);
        // 1e-12: double precision, only summation order may differ between batch sizes.
        assertThat(batch.mean().equalsWithEps(standard, 1e-12)).isTrue();
        assertThat(batch.variance().maxNumber().doubleValue()).isLessThan(1e-24);
        for (int i = 0; i < 3; i++) {
            INDArray alone = mc.predict(x.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all())).mean();
            assertThat(alone.equalsWithEps(batch.mean().getRow(i, true), 1e-12)).as("example %d", i).isTrue();
        }

        // Negative control: the naive approach (whole network in training mode) depends on the batch.
        INDArray naiveAlone = net.output(x.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all()), true);
        INDArray naiveInBatch = net.output(x, true).getRow(0, true);
        assertThat(Transforms.abs(naiveAlone.sub(naiveInBatch)).maxNumber().doubleValue()).isGreaterThan(1e-3);
    }

    @Test
    void exampleAloneAndInBatchGetTheSameDistributionWithRealDropout() {
        MultiLayerNetwork net = TestNets.trainedClassifierWithBatchNorm(new Dropout(0.5));
        INDArray x = TestNets.classificationData(N, 5).getFeatures();
        int t = 4000;
        MonteCarloEvaluator mc = MonteCarloEvaluator.builder(net).samples(t).build();
        McPrediction batch = mc.predict(x);
        McPrediction alone = mc.predict(x.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all()));
        INDArray meanBatch = batch.mean().getRow(0, true);
        INDArray varBatch = batch.variance().getRow(0, true);
        // Two independent Monte Carlo means of the same distribution differ by less than 5 standard errors
        // sqrt(var_a / T + var_b / T) per class (false failure probability < 2e-6 for the 3 classes).
        INDArray bound = Transforms.sqrt(varBatch.add(alone.variance()).divi(t)).muli(5);
        INDArray diff = Transforms.abs(meanBatch.sub(alone.mean()));
        assertThat(diff.sub(bound).maxNumber().doubleValue()).as("diff %s bound %s", diff, bound)
                .isLessThanOrEqualTo(0.0);
        // And the variances agree to within 10% (relative standard error of a variance over 4000 samples is ~2%).
        assertThat(Transforms.abs(varBatch.sub(alone.variance())).div(varBatch).maxNumber().doubleValue())
                .isLessThan(0.1);
    }

    /** A dropout that keeps everything, of a class the library does not know (so it cannot prove it is a no-op). */
    static final class IdentityDropout implements IDropout {
        @Override
        public INDArray applyDropout(INDArray in, INDArray result, int iteration, int epoch,
                                     LayerWorkspaceMgr workspaceMgr) {
            return result.assign(in);
        }

        @Override
        public INDArray backprop(INDArray gradAtOutput, INDArray gradAtInput, int iteration, int epoch) {
            return gradAtInput.assign(gradAtOutput);
        }

        @Override
        public void clear() {
        }

        @Override
        public IDropout clone() {
            return new IdentityDropout();
        }
    }
}

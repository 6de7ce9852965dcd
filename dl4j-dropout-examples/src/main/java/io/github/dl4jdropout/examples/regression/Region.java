package io.github.dl4jdropout.examples.regression;

import io.github.dl4jdropout.examples.support.Vectors;
import io.github.dl4jdropout.montecarlo.McPrediction;
import io.github.dl4jdropout.montecarlo.McReport;
import io.github.dl4jdropout.montecarlo.MonteCarloEvaluator;
import java.util.Arrays;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;

/**
 * How the Monte Carlo predictive distribution did on the test points of one region (the gap, or the training range):
 * accuracy of its mean, its likelihood, and how often the interval {@code mean +- 2 sigma} holds the point, against
 * standard inference with the observation noise as its only variance.
 *
 * @param label    what the points are
 * @param points   how many test points
 * @param meanStd  mean Monte Carlo standard deviation (epistemic, without observation noise)
 * @param mcRmse   RMSE of the Monte Carlo mean on noisy test points
 * @param detRmse  RMSE of standard inference on the same points
 * @param mcNll    mean Gaussian NLL of the Monte Carlo predictive (variance plus observation noise)
 * @param detNll   mean Gaussian NLL of standard inference with the observation noise alone
 * @param mcCover  fraction of test points inside the Monte Carlo interval {@code mean +- 2 sqrt(variance + noise)}
 * @param detCover fraction inside standard inference's {@code output +- 2 sqrt(noise)}
 */
public record Region(String label, int points, double meanStd, double mcRmse, double detRmse, double mcNll,
                     double detNll, double mcCover, double detCover) {

    /**
     * Measures one region.
     *
     * @param label         what the points are
     * @param test          the region's test points, at least one
     * @param mc            an evaluator built with the observation noise variance
     * @param noiseVariance that variance, for the intervals
     * @return the measurements
     * @throws IllegalStateException if {@code test} is empty
     */
    public static Region measure(String label, Points test, MonteCarloEvaluator mc, double noiseVariance) {
        if (test.size() == 0) {
            throw new IllegalStateException("no test points for '" + label + "'");
        }
        McReport report = mc.evaluate(new ListDataSetIterator<>(test.toDataSet().asList(), 500));
        McPrediction p = mc.predict(Vectors.column(test.x()));
        double[] mean = Vectors.values(p.mean());
        double[] variance = Vectors.values(p.variance());
        double[] det = Vectors.values(p.deterministic());
        int mcIn = 0;
        int detIn = 0;
        for (int i = 0; i < mean.length; i++) {
            double y = test.y()[i];
            mcIn += Math.abs(y - mean[i]) <= 2 * Math.sqrt(variance[i] + noiseVariance) ? 1 : 0;
            detIn += Math.abs(y - det[i]) <= 2 * Math.sqrt(noiseVariance) ? 1 : 0;
        }
        int n = mean.length;
        return new Region(label, n, Arrays.stream(variance).map(Math::sqrt).average().orElseThrow(),
                report.mc().asRegression().rmse(), report.deterministic().asRegression().rmse(),
                report.mc().asRegression().gaussianNegativeLogLikelihood(),
                report.deterministic().asRegression().gaussianNegativeLogLikelihood(), (double) mcIn / n, (double) detIn / n);
    }
}

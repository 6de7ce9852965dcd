// 05-regression.jsh: Monte Carlo dropout for regression, step by step (the story of RegressionExample).
// Run: dl4j-dropout-examples/notebooks/run 05-regression        (about a minute on 2 cores)
// Claim: a network trained with dropout, sampled T times with dropout on (Gal and Ghahramani 2016), gives a
// predictive mean and a spread; the spread is larger where there was no training data (a gap in x), so the
// interval mean +- 2 sigma widens there. Standard inference (one pass, dropout off) has no such signal.

import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.examples.regression.*;
import io.github.dl4jdropout.examples.regression.RegressionExample.Options;
import io.github.dl4jdropout.examples.support.*;
import io.github.dl4jdropout.montecarlo.*;
import java.util.*;

// 1. Data: y = sin(3x) + 0.3x + noise, x uniform on [-3, 3] but never inside the gap [-0.5, 1.0].
//    Settings a little smaller than the example's defaults (2,000 training steps instead of 3,000).
//    (JShell runs a line as soon as it is a complete statement: chained calls end their lines with a dot.)
//    with(option, value) changes one setting; the options are the ones of ./run-example regression --help.
var options = Options.defaults().
        with(Options.ITERATIONS, 2_000).
        with(Options.OUT, CommonOptions.defaultOutputDir("05-regression"));
var curve = options.curve();           // the function, its noise and the gap
var rng = new Random(options.seed());
var train = curve.sample(options.trainPoints(), false, rng);
System.out.printf("%d training points, none in [%.2f, %.2f]%n", train.size(), curve.gapFrom(), curve.gapTo());

// 2. The network: 1-64-64-64-1 tanh, identity output, MSE. Dropouts.standard(0.1) on the input of every layer
//    after the first, i.e. on each hidden layer's output; none on the 1-D input x itself.
//    The audit reads the configuration before we train: forMonteCarlo adds the check that something samples.
var conf = RegressionExample.configuration(options);
var audit = DropoutAudit.forMonteCarlo(conf);
System.out.println(audit);
audit.requireNoErrors();
var net = Training.network(conf);      // new MultiLayerNetwork(conf), initialized

// 3. Full-batch Adam steps, with a progress bar.
double seconds = RegressionExample.fit(net, train, options.iterations());
System.out.printf("trained in %.1f s, final loss %.4f%n", seconds, net.score());

// 4. Monte Carlo dropout: T passes with dropout on. McTask.REGRESSION makes the evaluator report per-output mean
//    and variance (it would also detect it from the identity output).
var mc = MonteCarloEvaluator.builder(net).task(McTask.REGRESSION).samples(options.mcSamples()).seed(options.seed()).build();

// 5. Observation noise (the aleatoric part, Gal's tau^-1), estimated as the residual variance of the MC mean on
//    the training points. The MC variance is the model's (epistemic) part; the interval uses both.
var onTrain = mc.predict(Vectors.column(train.x()));          // [n, 1] inputs
double noiseVariance = RegressionExample.meanSquaredResidual(train.y(), Vectors.values(onTrain.mean()));
System.out.printf("observation noise std: estimated %.3f, true %.3f%n", Math.sqrt(noiseVariance), curve.noiseStd());

// 6. Predict on a dense grid over [-4, 4] (beyond the training range too).
double[] gridX = NoisyCurve.grid(options.gridPoints());
var onGrid = mc.predict(Vectors.column(gridX));
double[] mean = Vectors.values(onGrid.mean());
double[] std = Arrays.stream(Vectors.values(onGrid.variance())).map(Math::sqrt).toArray();
double[] det = Vectors.values(onGrid.deterministic());      // standard inference, dropout off

// 7. The measured claim: mean MC standard deviation in the gap against the training range.
var table = new Table("grid points", "mean MC std");
table.row("in the gap", Table.num(Vectors.meanWhere(gridX, std, curve::inGap), 4));
table.row("training range, outside the gap", Table.num(Vectors.meanWhere(gridX, std, curve::inTrainingRange), 4));
table.row("beyond [-3, 3]", Table.num(Vectors.meanWhere(gridX, std, x -> Math.abs(x) > 3), 4));
System.out.println(table);

// 8. The plot: training points, truth, standard inference, MC mean and the band mean +- 2 sqrt(var + noise).
var plot = IntervalPlot.write(options.outputDir().resolve("regression-mc-intervals.png"), curve, options.mcSamples(),
        train, gridX, mean, std, det, noiseVariance);
System.out.println("plot: " + plot);
/exit

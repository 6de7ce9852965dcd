// 08-active-learning.jsh: deep Bayesian active learning with Monte Carlo dropout, step by step (the story of
// ActiveLearningExample).
// Run: dl4j-dropout-examples/notebooks/run 08-active-learning        (a few minutes on 2 cores)
// Claim (Gal, Islam and Ghahramani 2017): starting from 20 labelled MNIST digits and labelling 10 more per round,
// picking the images with the highest BALD score (mutual information between prediction and weights, from T Monte
// Carlo dropout passes) reaches a given test error with fewer labels than picking images at random.

import io.github.dl4jdropout.audit.DropoutAudit;
import io.github.dl4jdropout.examples.activelearning.*;
import io.github.dl4jdropout.examples.support.*;
import io.github.dl4jdropout.montecarlo.*;
import io.github.dl4jdropout.uncertainty.*;
import java.util.*;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

// 1. Settings, smaller than the example's defaults: a pool of 5,000 training images, 1,000 test images, 15 rounds
//    of 10 (to 170 labels), BALD scored on 1,000 pool images per round with T = 20.
MnistData.ensureAvailable();
var options = ActiveLearningExample.Options.defaults().
        withCommon(CommonOptions.of(50, 32, 5_000, 1_000, 42, "08-active-learning")).
        with(ActiveLearningExample.Options.ROUNDS, 15).
        with(ActiveLearningExample.Options.POOL_SUBSET, 1_000);
var c = options.common();
var conf = ActiveLearningExample.configuration(options);
DropoutAudit.forMonteCarlo(conf).requireNoErrors();
var pool = MnistData.iterator(c.trainExamples(), c.trainExamples(), true, c.seed()).next();
var test = MnistData.iterator(c.testExamples(), c.testExamples(), false, c.seed()).next();

// 2. One round by hand: train on 20 labelled digits (2 of each), then score 1,000 unlabelled pool images.
var labelled = new ArrayList<Integer>();
var perClass = new int[10];
var classes = pool.getLabels().argMax(1).toIntVector();
for (int i = 0; i < classes.length && labelled.size() < 20; i++) {
    if (perClass[classes[i]] < 2) { perClass[classes[i]]++; labelled.add(i); }
}
MultiLayerNetwork net = Training.network(conf);
var batches = new ArrayList<DataSet>();
for (int e = 0; e < 500; e++) { var d = pool.get(labelled.stream().mapToInt(i -> i).toArray()); d.shuffle(e); batches.addAll(d.batchBy(20)); }
net.fit(new ExistingDataSetIterator(batches));
var mc = MonteCarloEvaluator.builder(net).samples(20).keepSamples(true).build();
var candidates = java.util.stream.IntStream.range(0, 1_000).filter(i -> !labelled.contains(i)).toArray();
var prediction = mc.predict(pool.get(candidates).getFeatures());

// 3. The acquisition functions of the paper rank the same pool differently; BALD looks for disagreement between
//    the dropout samples, entropy for any uncertainty, variation ratio for disagreeing votes.
for (var score : List.of(UncertaintyScore.MUTUAL_INFORMATION, UncertaintyScore.PREDICTIVE_ENTROPY,
        UncertaintyScore.VARIATION_RATIO, UncertaintyScore.MARGIN)) {
    System.out.println(score + ": top 10 pool images " + Arrays.toString(Acquisition.topK(prediction, score, 10)));
}
// BatchBALD (Kirsch et al. 2019) picks a batch that is jointly informative instead of the 10 best singles.
System.out.println("BatchBALD batch: " + BatchBald.builder().build().select(prediction, 10));

// 4. The whole experiment, BALD against random acquisition (the example's run): learning curves and labels needed.
var result = ActiveLearningExample.run(options);
System.out.println("plot: " + result.plots());
/exit

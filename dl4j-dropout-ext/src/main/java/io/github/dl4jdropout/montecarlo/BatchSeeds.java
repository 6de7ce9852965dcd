package io.github.dl4jdropout.montecarlo;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Derives the random seed of one minibatch from the evaluator's seed and the minibatch's content (shapes, data
 * types, values of features and feature masks).
 *
 * <p>Seeding per minibatch from its content, rather than once per evaluation, makes the samples of a minibatch
 * independent of what was evaluated before it: {@code predict(x)} is a function of the seed and {@code x}, and a
 * dataset split into parts (same minibatches) evaluates to exactly the same statistics as the whole. Hashing reads
 * each input once, which is small next to T forward passes. A hash collision only makes two minibatches share
 * random numbers, never wrong results.
 */
final class BatchSeeds {

    private BatchSeeds() {
    }

    static long derive(long seed, INDArray[] features, INDArray[] masks) {
        long h = mix(seed ^ 0x6A09E667F3BCC909L);
        h = absorb(h, features);
        h = absorb(h, masks);
        return h;
    }

    private static long absorb(long h, INDArray[] arrays) {
        if (arrays == null) {
            return mix(h ^ 0x3C6EF372FE94F82BL);
        }
        for (INDArray a : arrays) {
            if (a == null) {
                h = mix(h ^ 0xA54FF53A5F1D36F1L);
                continue;
            }
            h = mix(h ^ Arrays.hashCode(a.shape()) ^ ((long) a.dataType().ordinal() << 32));
            h = mix(h ^ Arrays.hashCode(a.dup('c').data().asBytes()));
        }
        return h;
    }

    /** The SplitMix64 finalizer (Steele, Lea and Flood 2014). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

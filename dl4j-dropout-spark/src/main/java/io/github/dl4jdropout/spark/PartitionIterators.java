package io.github.dl4jdropout.spark;

import java.util.Iterator;

import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/** Adapters from a partition's iterator to the iterator types of the evaluator; one pass, no reset. */
final class PartitionIterators {

    private PartitionIterators() {
    }

    /** The multi-datasets of one partition, one by one, unmerged. */
    static MultiDataSetIterator multi(Iterator<? extends MultiDataSet> source) {
        return new MultiDataSetIterator() {
            private static final long serialVersionUID = 1L;

            @Override
            public MultiDataSet next(int num) {
                return next();
            }

            @Override
            public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
                throw new UnsupportedOperationException("a partition iterator takes no pre-processor");
            }

            @Override
            public MultiDataSetPreProcessor getPreProcessor() {
                return null;
            }

            @Override
            public boolean resetSupported() {
                return false;
            }

            @Override
            public boolean asyncSupported() {
                return false;
            }

            @Override
            public void reset() {
                throw new UnsupportedOperationException("a partition iterator cannot be reset");
            }

            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public MultiDataSet next() {
                return source.next();
            }
        };
    }
}

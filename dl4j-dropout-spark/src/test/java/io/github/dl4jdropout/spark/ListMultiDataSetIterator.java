package io.github.dl4jdropout.spark;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

/** Returns the given multi-datasets one by one, unmerged: the single-machine side of the comparisons. */
final class ListMultiDataSetIterator implements MultiDataSetIterator {

    private static final long serialVersionUID = 1L;

    private final List<MultiDataSet> data;
    private int next;

    ListMultiDataSetIterator(List<? extends MultiDataSet> data) {
        this.data = new ArrayList<>(data);
    }

    @Override
    public MultiDataSet next(int num) {
        return next();
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
        return null;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        next = 0;
    }

    @Override
    public boolean hasNext() {
        return next < data.size();
    }

    @Override
    public MultiDataSet next() {
        return data.get(next++);
    }
}

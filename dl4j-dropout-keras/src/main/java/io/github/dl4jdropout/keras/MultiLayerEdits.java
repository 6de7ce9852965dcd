package io.github.dl4jdropout.keras;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;

/** {@link NetworkEdits} of a {@code MultiLayerConfiguration}. */
final class MultiLayerEdits implements NetworkEdits {

    private final MultiLayerConfiguration conf;

    MultiLayerEdits(MultiLayerConfiguration conf) {
        this.conf = conf;
    }

    @Override
    public List<String> layerNames() {
        List<String> names = new ArrayList<>();
        for (NeuralNetConfiguration c : conf.getConfs()) {
            names.add(c.getLayer().getLayerName());
        }
        return names;
    }

    private int index(String name) {
        List<NeuralNetConfiguration> confs = conf.getConfs();
        for (int i = 0; i < confs.size(); i++) {
            if (name.equals(confs.get(i).getLayer().getLayerName())) {
                return i;
            }
        }
        throw new IllegalArgumentException("no layer named '" + name + "'");
    }

    @Override
    public Layer layer(String name) {
        return conf.getConf(index(name)).getLayer();
    }

    @Override
    public List<String> inputsOf(String name) {
        int i = index(name);
        return i == 0 ? List.of() : List.of(conf.getConf(i - 1).getLayer().getLayerName());
    }

    @Override
    public void replaceLayer(String name, Layer replacement) {
        conf.getConf(index(name)).setLayer(replacement);
    }
}

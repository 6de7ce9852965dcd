/** Standard dropout on a fully connected network, and Monte Carlo averaging against standard inference. */
package io.github.dl4jdropout.examples.mlp;

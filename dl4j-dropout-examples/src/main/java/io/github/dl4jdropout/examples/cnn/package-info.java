/** Standard against spatial dropout on convolutional feature maps, NCHW and NHWC, with BatchNormalization. */
package io.github.dl4jdropout.examples.cnn;

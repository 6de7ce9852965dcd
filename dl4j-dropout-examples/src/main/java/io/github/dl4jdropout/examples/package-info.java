/** Examples. */
package io.github.dl4jdropout.examples;

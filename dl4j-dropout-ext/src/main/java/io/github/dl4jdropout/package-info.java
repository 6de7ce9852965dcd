/** dl4j-dropout. */
package io.github.dl4jdropout;

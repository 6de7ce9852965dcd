/**
 * Implementation details of dl4j-dropout. Nothing in this package is public API: it may change in any release
 * without notice. Users depend on {@link io.github.dl4jdropout.Dropouts} and the classes it returns.
 */
package io.github.dl4jdropout.internal;

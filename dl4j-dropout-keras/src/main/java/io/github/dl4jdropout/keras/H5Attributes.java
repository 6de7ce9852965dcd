package io.github.dl4jdropout.keras;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.DataType;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;

import static org.bytedeco.hdf5.global.hdf5.H5F_ACC_RDONLY;
import static org.bytedeco.hdf5.global.hdf5.H5free_memory;

/**
 * Reads the string attributes of a Keras HDF5 file (model configuration, Keras version, backend) with buffers sized
 * from the attribute itself.
 *
 * <p>DL4J 1.0.0-M2.1's {@code Hdf5Archive} guesses buffer sizes instead: {@code readAttributeAsJson} copies 2048, then
 * 8192, ... bytes out of a native string of unknown length until Jackson accepts the text (the bytes after the JSON
 * are whatever memory follows it: class-file fragments were seen), and {@code readAttributeAsFixedLengthString} reads
 * the Keras version into a 5-byte buffer ("2.2.4-tf" has 8). Reading past the end of a native allocation can crash
 * the JVM, so this module reads those attributes itself and hands DL4J only the weights.
 */
final class H5Attributes {

    /** The attributes of the file root that the import needs. */
    static final class ModelAttributes {
        private final String modelConfig;
        private final String kerasVersion;
        private final String backend;

        ModelAttributes(String modelConfig, String kerasVersion, String backend) {
            this.modelConfig = modelConfig;
            this.kerasVersion = kerasVersion;
            this.backend = backend;
        }

        /** @return the {@code model_config} JSON */
        String modelConfig() {
            return modelConfig;
        }

        /** @return the {@code keras_version} attribute, or null if absent (Keras 1.0.7 or earlier) */
        String kerasVersion() {
            return kerasVersion;
        }

        /** @return the {@code backend} attribute, or null if absent */
        String backend() {
            return backend;
        }
    }

    private H5Attributes() {
    }

    /**
     * Reads the model configuration, Keras version and backend of a Keras HDF5 file.
     *
     * @param h5Path the file
     * @return the attributes
     * @throws IOException if the file does not exist, is not an HDF5 file, or has no {@code model_config}
     */
    static ModelAttributes read(String h5Path) throws IOException {
        Path path = Path.of(h5Path);
        if (!Files.isRegularFile(path)) {
            throw new FileNotFoundException("Keras model file not found: " + path.toAbsolutePath());
        }
        if (!hasHdf5Signature(path)) {
            // Checked here: the HDF5 library would print its error stack to stderr before failing.
            throw new IOException("Not an HDF5 file (no HDF5 signature): " + path.toAbsolutePath()
                    + ". Save the Keras model with model.save(path) in HDF5 format (a .h5 file).");
        }
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5File file;
            try {
                file = new H5File(h5Path, H5F_ACC_RDONLY());
            } catch (RuntimeException e) {
                throw new IOException("Not a readable HDF5 file: " + path.toAbsolutePath() + " (" + e.getMessage()
                        + ")", e);
            }
            try {
                if (!file.attrExists("model_config")) {
                    throw new IOException(path.toAbsolutePath() + " has no model_config attribute: it holds weights"
                            + " only (model.save_weights). Save the whole model with model.save(path) in HDF5"
                            + " format.");
                }
                String config = readString(file, "model_config");
                String version = file.attrExists("keras_version") ? readString(file, "keras_version") : null;
                String backend = file.attrExists("backend") ? readString(file, "backend") : null;
                return new ModelAttributes(config, version, backend);
            } catch (RuntimeException e) {
                throw new IOException("Cannot read the Keras attributes of " + path.toAbsolutePath() + ": "
                        + e.getMessage(), e);
            } finally {
                file._close();
                file.deallocate();
            }
        }
    }

    /** The 8-byte HDF5 signature, at offset 0 or, after a user block, at 512, 1024, 2048, ... */
    private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    static boolean hasHdf5Signature(Path path) throws IOException {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(path)) {
            long size = channel.size();
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(SIGNATURE.length);
            for (long offset = 0; offset + SIGNATURE.length <= size; offset = offset == 0 ? 512 : offset * 2) {
                buffer.clear();
                channel.read(buffer, offset);
                if (java.util.Arrays.equals(buffer.array(), SIGNATURE)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Reads a scalar (or first element of a) string attribute, variable- or fixed-length. */
    private static String readString(H5File file, String name) {
        Attribute attribute = file.openAttribute(name);
        DataType type = attribute.getDataType();
        DataSpace space = attribute.getSpace();
        try {
            long count = Math.max(1, space.getSimpleExtentNpoints());
            if (type.isVariableStr()) {
                // The library writes one char* per element into the buffer and allocates the strings itself.
                PointerPointer<BytePointer> pointers = new PointerPointer<>(count);
                try {
                    attribute.read(type, pointers);
                    BytePointer first = pointers.get(BytePointer.class, 0);
                    String value = first == null || first.isNull() ? "" : first.getString(StandardCharsets.UTF_8);
                    for (long i = 0; i < count; i++) {
                        BytePointer p = pointers.get(BytePointer.class, i);
                        if (p != null && !p.isNull()) {
                            H5free_memory(p);
                        }
                    }
                    return value;
                } finally {
                    pointers.close();
                }
            }
            long size = type.getSize();
            // Fixed-length: exactly size * count bytes, plus a terminator of our own.
            try (BytePointer buffer = new BytePointer(size * count + 1)) {
                buffer.fill(0);
                attribute.read(type, (org.bytedeco.javacpp.Pointer) buffer);
                byte[] bytes = new byte[(int) size];
                buffer.get(bytes);
                int end = 0;
                while (end < bytes.length && bytes[end] != 0) {
                    end++;
                }
                return new String(bytes, 0, end, StandardCharsets.UTF_8);
            }
        } finally {
            space.deallocate();
            type.deallocate();
            attribute._close();
            attribute.deallocate();
        }
    }
}

package io.parsimony.cli.options;

import io.parsimony.layout.Layout;
import picocli.CommandLine;

/** Parses "35,36,37,43" or "(35,36,37,43)" into a {@link Layout}. */
public final class LayoutConverter implements CommandLine.ITypeConverter<Layout> {
    @Override
    public Layout convert(String value) {
        try {
            return Layout.parse(value);
        } catch (io.parsimony.layout.LayoutException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}

package io.parsimony.cli.experiment;

import io.parsimony.InputException;
import io.parsimony.experiment.store.StoreLocation;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --store FILE|jdbc:postgresql://host:port/db}: an SQLite file or a PostgreSQL database. */
public final class StoreConverter implements ITypeConverter<StoreLocation> {

    /** The one help text of {@code --store}, shared by the commands that take it. */
    public static final String HELP = "SQLite file, or jdbc:postgresql://host:port/db?user=NAME (password from "
            + "PGPASSWORD or ~/.pgpass, never in the URL)";

    @Override
    public StoreLocation convert(String value) {
        try {
            return StoreLocation.parse(value);
        } catch (InputException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}

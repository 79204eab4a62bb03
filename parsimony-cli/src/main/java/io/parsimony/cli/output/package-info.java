/**
 * How every command writes: tables or {@code --json} ({@code Output}), summary files written whole
 * ({@code ResultFile}), and the one-line user error ({@code UserException}). Depends on no other
 * CLI package.
 */
package io.parsimony.cli.output;

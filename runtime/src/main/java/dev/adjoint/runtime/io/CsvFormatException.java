package dev.adjoint.runtime.io;

import java.io.IOException;

/**
 * A CSV file's content is wrong at a place: the message reads {@code file:line:column: problem},
 * with 1-based line and column numbers (the header line counts; column 0 means the whole line).
 */
public final class CsvFormatException extends IOException {
  private final String source;
  private final int line;
  private final int column;
  private final String problem;

  CsvFormatException(String source, int line, int column, String problem) {
    super(source + ":" + line + (column > 0 ? ":" + column : "") + ": " + problem);
    this.source = source;
    this.line = line;
    this.column = column;
    this.problem = problem;
  }

  /** The file (or the name given for a reader). */
  public String source() {
    return source;
  }

  /** The 1-based line number, counting every line of the file including a header. */
  public int line() {
    return line;
  }

  /** The 1-based column number, or 0 when the problem is the whole line. */
  public int column() {
    return column;
  }

  /** The message without the location. */
  public String problem() {
    return problem;
  }
}

package dev.adjoint.compiler.ops;

/** Number formatting for attributes and messages, in the style a model would write them. */
final class Format {

    private Format() {
    }

    /** {@code 3}, {@code 0.5}, {@code 1e-5}, {@code NaN}: integral values without a fraction. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return (v == 0 && 1 / v < 0) ? "-0" : Long.toString((long) v);
        }
        String s = Double.toString(v);
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        String mantissa = s.substring(0, e);
        if (mantissa.endsWith(".0")) {
            mantissa = mantissa.substring(0, mantissa.length() - 2);
        }
        return mantissa + "e" + s.substring(e + 1);
    }
}

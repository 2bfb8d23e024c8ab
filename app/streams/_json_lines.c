/* The NDJSON decoder's usual chunk, checked and split in one pass: app/streams/ndjson.py's
 * `_take_whole` without msgspec.
 *
 * whole_lines(data: bytes, line_end: int, max_depth: int) -> tuple[list[str], list[int]] | None
 *
 * `data` is LF-separated lines (the last without its line end). When every line is exactly one RFC 8259
 * JSON value with nothing around it, it returns each line's text and its size (its bytes plus
 * `line_end`). Otherwise None, and the Python line-by-line path decides: so this only ever has to be
 * sure when it says yes. It says no to anything the strict parse could word differently or that needs
 * tidying: a blank line, whitespace around the value, a tab or CR anywhere, invalid UTF-8 (overlong
 * forms and encoded surrogates included), nesting deeper than `max_depth`, and any number that could
 * be out of a double's range (200 digits or more, or an exponent of three digits or more).
 *
 * Bounds: a line is scanned up to the byte at its end, which is its LF or, for the last line, the NUL
 * that CPython keeps after every bytes object's data. Neither byte can continue any token, so each scan
 * stops there without reading further; multi-byte reads check each byte before reading the next.
 * Nesting is tracked in a fixed array, never by recursion.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define MAX_DEPTH_ALLOWED 1024

/* Byte classes inside a string: 0 ordinary ASCII, 1 the closing quote, 2 a backslash, 3 a control
 * character (not allowed raw), 4 the first byte of a UTF-8 sequence (checked apart), 5 never valid. */
static unsigned char string_class[256];

static void init_tables(void) {
    for (int c = 0; c < 256; c++) {
        unsigned char k;
        if (c < 0x20) k = 3;
        else if (c == '"') k = 1;
        else if (c == '\\') k = 2;
        else if (c < 0x80) k = 0;
        else if (c >= 0xC2 && c <= 0xF4) k = 4;
        else k = 5;
        string_class[c] = k;
    }
}

static inline int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

static inline int is_hex(unsigned char c) {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static inline int is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/* The UTF-8 sequence starting at s[i] (a lead byte 0xC2-0xF4), strictly as Python's decoder takes it:
 * no overlong forms, no encoded surrogates, nothing above U+10FFFF. Returns its length, or 0. */
static inline Py_ssize_t utf8_sequence(const unsigned char *s, Py_ssize_t i) {
    unsigned char lead = s[i], second = s[i + 1];
    if (lead < 0xE0) return is_continuation(second) ? 2 : 0;
    if (lead < 0xF0) {
        if (!is_continuation(second)) return 0;
        if (lead == 0xE0 && second < 0xA0) return 0;  /* overlong */
        if (lead == 0xED && second > 0x9F) return 0;  /* U+D800-U+DFFF */
        return is_continuation(s[i + 2]) ? 3 : 0;
    }
    if (!is_continuation(second)) return 0;
    if (lead == 0xF0 && second < 0x90) return 0;  /* overlong */
    if (lead == 0xF4 && second > 0x8F) return 0;  /* above U+10FFFF */
    if (!is_continuation(s[i + 2])) return 0;
    return is_continuation(s[i + 3]) ? 4 : 0;
}

/* Whether none of the 8 bytes at s is a quote, a backslash, a control character or non-ASCII: the
 * string scan's step over plain text, a word at a time (the usual bit tricks; no false negatives). */
static inline int plain_word(const unsigned char *s) {
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    uint64_t word, quote, backslash;
    memcpy(&word, s, sizeof word);
    quote = word ^ (ones * '"');
    backslash = word ^ (ones * '\\');
    return ((word | ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) | ((word - ones * 0x20) & ~word)) & high) == 0;
}

/* The string whose opening quote is at s[i], in a line of n bytes: the index after its closing quote,
 * or -1. Words are read only while all 8 bytes lie inside the line. */
static inline Py_ssize_t scan_string(const unsigned char *s, Py_ssize_t i, Py_ssize_t n, int *non_ascii) {
    i++;
    for (;;) {
        while (i + 8 <= n && plain_word(s + i)) i += 8;
        while (string_class[s[i]] == 0) i++;
        switch (string_class[s[i]]) {
        case 1:
            return i + 1;
        case 2:
            switch (s[i + 1]) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                i += 2;
                break;
            case 'u':
                if (!(is_hex(s[i + 2]) && is_hex(s[i + 3]) && is_hex(s[i + 4]) && is_hex(s[i + 5]))) return -1;
                i += 6;
                break;
            default:
                return -1;
            }
            break;
        case 4: {
            Py_ssize_t length = utf8_sequence(s, i);
            if (length == 0) return -1;
            *non_ascii = 1;
            i += length;
            break;
        }
        default:
            return -1;
        }
    }
}

/* The number starting at s[i]: the index after it, or -1 (also for one that might leave a double's
 * range, which the strict parse refuses and words). */
static inline Py_ssize_t scan_number(const unsigned char *s, Py_ssize_t i) {
    if (s[i] == '-') i++;
    Py_ssize_t digits = i;
    if (s[i] == '0') {
        i++;
    } else if (s[i] >= '1' && s[i] <= '9') {
        while (is_digit(s[i])) i++;
    } else {
        return -1;
    }
    if (i - digits >= 200) return -1;
    if (s[i] == '.') {
        Py_ssize_t fraction = ++i;
        while (is_digit(s[i])) i++;
        if (i == fraction || i - fraction >= 200) return -1;
    }
    if (s[i] == 'e' || s[i] == 'E') {
        i++;
        if (s[i] == '+' || s[i] == '-') i++;
        Py_ssize_t exponent = i;
        while (is_digit(s[i])) i++;
        if (i == exponent || i - exponent >= 3) return -1;
    }
    return i;
}

static inline Py_ssize_t skip_spaces(const unsigned char *s, Py_ssize_t i) {
    while (s[i] == ' ') i++;
    return i;
}

/* Whether s[0:n] is exactly one JSON value, nested at most `max_depth` deep. s[n] is LF or NUL. */
static int one_value(const unsigned char *s, Py_ssize_t n, int max_depth, int *non_ascii) {
    unsigned char open[MAX_DEPTH_ALLOWED];
    int depth = 0;
    Py_ssize_t i = 0;
    if (n == 0) return 0;
value:
    switch (s[i]) {
    case '{':
        if (depth == max_depth) return 0;
        open[depth++] = '{';
        i = skip_spaces(s, i + 1);
        if (s[i] == '}') {
            i++;
            depth--;
            goto after_value;
        }
        goto key;
    case '[':
        if (depth == max_depth) return 0;
        open[depth++] = '[';
        i = skip_spaces(s, i + 1);
        if (s[i] == ']') {
            i++;
            depth--;
            goto after_value;
        }
        goto value;
    case '"':
        i = scan_string(s, i, n, non_ascii);
        if (i < 0) return 0;
        goto after_value;
    case 't':
        if (n - i < 4 || memcmp(s + i, "true", 4) != 0) return 0;
        i += 4;
        goto after_value;
    case 'f':
        if (n - i < 5 || memcmp(s + i, "false", 5) != 0) return 0;
        i += 5;
        goto after_value;
    case 'n':
        if (n - i < 4 || memcmp(s + i, "null", 4) != 0) return 0;
        i += 4;
        goto after_value;
    default:
        i = scan_number(s, i);
        if (i < 0) return 0;
        goto after_value;
    }
key:
    if (s[i] != '"') return 0;
    i = scan_string(s, i, n, non_ascii);
    if (i < 0) return 0;
    i = skip_spaces(s, i);
    if (s[i] != ':') return 0;
    i = skip_spaces(s, i + 1);
    goto value;
after_value:
    if (depth == 0) return i == n;
    i = skip_spaces(s, i);
    if (s[i] == ',') {
        i = skip_spaces(s, i + 1);
        if (open[depth - 1] == '{') goto key;
        goto value;
    }
    if (s[i] == (open[depth - 1] == '{' ? '}' : ']')) {
        i++;
        depth--;
        goto after_value;
    }
    return 0;
}

static PyObject *line_text(const unsigned char *s, Py_ssize_t n, int non_ascii) {
    if (non_ascii) return PyUnicode_DecodeUTF8((const char *)s, n, "strict");
    PyObject *text = PyUnicode_New(n, 127);
    if (text != NULL) memcpy(PyUnicode_1BYTE_DATA(text), s, (size_t)n);
    return text;
}

static PyObject *whole_lines(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 || !PyBytes_CheckExact(args[0])) {
        PyErr_SetString(PyExc_TypeError, "whole_lines(data: bytes, line_end: int, max_depth: int)");
        return NULL;
    }
    long line_end = PyLong_AsLong(args[1]);
    long max_depth = PyLong_AsLong(args[2]);
    if (PyErr_Occurred()) return NULL;
    if (max_depth < 0 || max_depth > MAX_DEPTH_ALLOWED || line_end < 0 || line_end > 2) {
        PyErr_SetString(PyExc_ValueError, "max_depth must be 0-1024 and line_end 0-2");
        return NULL;
    }
    const unsigned char *data = (const unsigned char *)PyBytes_AS_STRING(args[0]);
    Py_ssize_t size = PyBytes_GET_SIZE(args[0]);
    PyObject *texts = PyList_New(0), *sizes = PyList_New(0);
    if (texts == NULL || sizes == NULL) goto fail;
    Py_ssize_t start = 0;
    for (;;) {
        const unsigned char *newline = memchr(data + start, '\n', (size_t)(size - start));
        Py_ssize_t end = newline == NULL ? size : newline - data;
        int non_ascii = 0;
        if (!one_value(data + start, end - start, (int)max_depth, &non_ascii)) goto no;
        PyObject *text = line_text(data + start, end - start, non_ascii);
        if (text == NULL) {
            if (!PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) goto fail;
            PyErr_Clear();
            goto no;
        }
        int appended = PyList_Append(texts, text);
        Py_DECREF(text);
        if (appended < 0) goto fail;
        PyObject *length = PyLong_FromSsize_t(end - start + line_end);
        if (length == NULL) goto fail;
        appended = PyList_Append(sizes, length);
        Py_DECREF(length);
        if (appended < 0) goto fail;
        if (newline == NULL) break;
        start = end + 1;
    }
    PyObject *result = PyTuple_Pack(2, texts, sizes);
    Py_DECREF(texts);
    Py_DECREF(sizes);
    return result;
no:
    Py_DECREF(texts);
    Py_DECREF(sizes);
    Py_RETURN_NONE;
fail:
    Py_XDECREF(texts);
    Py_XDECREF(sizes);
    return NULL;
}

static PyMethodDef methods[] = {
    {"whole_lines", (PyCFunction)(void (*)(void))whole_lines, METH_FASTCALL,
     "The texts and sizes of LF-separated lines that are each exactly one JSON value, else None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_json_lines",
    "The NDJSON decoder's usual chunk checked and split in one pass (see the source's comment).", -1, methods,
};

PyMODINIT_FUNC PyInit__json_lines(void) {
    init_tables();
    return PyModule_Create(&module);
}

/* The reader's per-character loops in C: reading a page's text layer into Char values
 * (pdfium._read_chars_py), listing a page's objects (pdfium._page_objects), dropping glyphs drawn
 * twice (chars.dedupe_chars_py), a printed line's text (chars.line_text_py) and the clustering of
 * characters into lines (chars.chars_to_lines_py).
 *
 * Why: a report has 60 000 characters, and these loops cost about 2 µs a character in Python
 * (three ctypes calls each, a dozen comparisons, a tuple) — a fifth of building the edition.
 * Here they cost a tenth of that. The Python functions stay the reference: they run where this
 * module was not built (no C compiler at install), and the tests compare the two on every page
 * of the report, the corpus, the odd and the generated PDFs (tests/test_reader_native.py).
 * Every decision is made as the Python function makes it, in the same order and with the same
 * double arithmetic; what is rare (a new text object, a new glyph's width, a compatibility
 * ideograph, a word break, a run's type) is asked of Python through the callables passed in.
 *
 * PDFium's functions come in as addresses (the ones pdfium.py bound with ctypes), so this file
 * needs no PDFium header and links to no PDFium.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

typedef struct { float left, top, right, bottom; } rect_f;
typedef struct { float a, b, c, d, e, f; } matrix_f;

typedef unsigned int (*unicode_fn)(void *, int);
typedef int (*index_fn)(void *, int);
typedef void *(*object_fn)(void *, int);
typedef int (*origin_fn)(void *, int, double *, double *);
typedef int (*box_fn)(void *, int, rect_f *);
typedef int (*matrix_fn)(void *, int, matrix_f *);
typedef double (*size_fn)(void *, int);
typedef void *(*font_fn)(void *);
typedef int (*mode_fn)(void *);
typedef int (*colour_fn)(void *, unsigned int *, unsigned int *, unsigned int *, unsigned int *);

/* The order of the addresses in ``calls`` (pdfium.py's _NATIVE_CALLS). */
enum { UNICODE, GENERATED, TEXT_OBJECT, ORIGIN, LOOSE_BOX, MATRIX, FONT_SIZE, MAP_ERROR, OBJ_FONT,
       RENDER_MODE, FILL_COLOUR, STROKE_COLOUR, N_CALLS };

/* The fields of pdfium._TextObject, in order. */
enum { T_FONT, T_FONTNAME, T_DESCENT, T_SIZE, T_A, T_B, T_C, T_D, T_PLAIN, T_UPRIGHT, T_MODE, T_FILL,
       T_STROKE, T_UNMAPPED, T_ABOVE, T_BELOW, T_POINTS, T_FIELDS };

/* The fields of pdfium.Char, in order. */
enum { C_TEXT, C_X0, C_TOP, C_X1, C_BOTTOM, C_SIZE, C_FONTNAME, C_BASELINE, C_MODE, C_FILL, C_STROKE,
       C_OVERPRINTED, C_FIELDS };

/* What PDFium says of a text object, as info_of takes it. */
typedef struct {
    uint64_t font;
    int32_t mode, unmapped;
    uint32_t fill, stroke;
    double size;
    float a, b, c, d;
} record;

#define RECENT 16

static size_t record_hash(const record *r) {
    const unsigned char *p = (const unsigned char *)r;
    uint64_t h = 1469598103934665603ull; /* FNV-1a over the record's bytes */
    for (size_t k = 0; k < sizeof *r; k++) h = (h ^ p[k]) * 1099511628211ull;
    return (size_t)(h ^ (h >> 32));
}

/* A new Char (a tuple of the NamedTuple type ``type``); steals the references in ``items``. */
static PyObject *new_char(PyTypeObject *type, PyObject **items) {
    PyObject *ch = type->tp_alloc(type, C_FIELDS);
    if (ch == NULL) {
        for (int k = 0; k < C_FIELDS; k++) Py_XDECREF(items[k]);
        return NULL;
    }
    for (int k = 0; k < C_FIELDS; k++) PyTuple_SET_ITEM(ch, k, items[k]);
    return ch;
}

/* ``ch`` with field ``field`` replaced by ``value`` (a new reference is taken of it): Char._replace. */
static PyObject *replaced(PyObject *ch, int field, PyObject *value) {
    PyObject *items[C_FIELDS];
    for (int k = 0; k < C_FIELDS; k++) {
        items[k] = k == field ? value : PyTuple_GET_ITEM(ch, k);
        Py_INCREF(items[k]);
    }
    return new_char(Py_TYPE(ch), items);
}

static uint32_t colour(colour_fn get, void *obj, unsigned int *rgba) {
    /* 0xRRGGBBAA; opaque black where PDFium gives none. ``rgba`` is kept from call to call, as
     * the Python reader keeps its out-parameters. */
    if (!get(obj, &rgba[0], &rgba[1], &rgba[2], &rgba[3])) return 0xFFu;
    return ((uint32_t)rgba[0] << 24) | ((uint32_t)rgba[1] << 16) | ((uint32_t)rgba[2] << 8) | (uint32_t)rgba[3];
}

/* Letters PDFium gives one by one for one glyph (pdfium._pieces): the text before ends in an
 * ASCII letter and the new text is ASCII letters only. */
static int is_ascii_letter(Py_UCS4 c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

static int pieces(PyObject *before, PyObject *text) {
    Py_ssize_t nb = PyUnicode_GET_LENGTH(before), nt = PyUnicode_GET_LENGTH(text);
    if (nb == 0 || nt == 0 || !is_ascii_letter(PyUnicode_READ_CHAR(before, nb - 1))) return 0;
    for (Py_ssize_t k = 0; k < nt; k++)
        if (!is_ascii_letter(PyUnicode_READ_CHAR(text, k))) return 0;
    return 1;
}

/* What Python's min() and max() give of four doubles: the first of the least (greatest). */
static double least(const double *v) {
    double m = v[0];
    for (int k = 1; k < 4; k++) if (v[k] < m) m = v[k];
    return m;
}

static double greatest(const double *v) {
    double m = v[0];
    for (int k = 1; k < 4; k++) if (v[k] > m) m = v[k];
    return m;
}

static int as_double(PyObject *tuple, int k, double *out) {
    *out = PyFloat_AsDouble(PyTuple_GET_ITEM(tuple, k));
    return !(*out == -1.0 && PyErr_Occurred());
}

/* The float field ``k`` of Char ``ch``; 0 where it is no float (the caller checked them all). */
#define FIELD(ch, k) PyFloat_AS_DOUBLE(PyTuple_GET_ITEM((ch), (k)))

/* Whether every item of ``chars`` is a Char whose text is a str and whose boxes are floats: what
 * the loops below read without checking again. */
static int all_chars(PyObject *chars) {
    Py_ssize_t n = PyList_GET_SIZE(chars);
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *ch = PyList_GET_ITEM(chars, k);
        if (!PyTuple_Check(ch) || PyTuple_GET_SIZE(ch) != C_FIELDS || !PyUnicode_Check(PyTuple_GET_ITEM(ch, C_TEXT)))
            return 0;
        for (int f = C_X0; f <= C_SIZE; f++)
            if (!PyFloat_Check(PyTuple_GET_ITEM(ch, f))) return 0;
    }
    return 1;
}

static int is_blank(PyObject *text) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t k = 0; k < n; k++)
        if (!Py_UNICODE_ISSPACE(PyUnicode_READ_CHAR(text, k))) return 0;
    return 1;
}

static int is_digits(PyObject *text) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t k = 0; k < n; k++)
        if (!Py_UNICODE_ISDIGIT(PyUnicode_READ_CHAR(text, k))) return 0;
    return n > 0;
}

static int is_single_space(PyObject *text) {
    return PyUnicode_GET_LENGTH(text) == 1 && PyUnicode_READ_CHAR(text, 0) == ' ';
}

/* The advance the PDF gives glyph ``code`` in the text object ``info`` describes, asked of
 * ``advance(font, code, size)`` (Document.advance, which remembers it); 0 where the object has no
 * font or the code is a control one (as the Python reader asks). -1 on an error. */
static int glyph_advance(PyObject *advance, PyObject *info, uintptr_t font, unsigned int code, PyObject *code_key,
                         double *out) {
    *out = 0.0;
    if (!font || code <= 2) return 0;
    PyObject *got = PyObject_CallFunctionObjArgs(advance, PyTuple_GET_ITEM(info, T_FONT), code_key,
                                                 PyTuple_GET_ITEM(info, T_SIZE), NULL);
    if (got == NULL) return -1;
    *out = PyFloat_AsDouble(got);
    Py_DECREF(got);
    return *out == -1.0 && PyErr_Occurred() ? -1 : 0;
}

/* read_chars(tp, n, calls, frame, width, height, info_of, objects, advances, advance, nfc, Char)
 *   → (chars, rotated, off, owners), exactly as pdfium._read_chars_py reads them.
 *
 * tp: the text page's address; calls: PDFium's functions' addresses (see the enum above);
 * frame: (x0, y0, x1, y1, quarter turns); info_of(font, mode, fill, stroke, size, a, b, c, d,
 * unmapped) → _TextObject; objects: the page's dict of text object → _TextObject; advances:
 * the document's dict of (font, size, a) → {code: span}; advance(font, code, size) → float;
 * nfc(str) → str; Char: the type of the values made. */
static PyObject *read_chars(PyObject *self, PyObject *args) {
    (void)self;
    unsigned long long tp_address;
    int n, rotation;
    PyObject *calls, *info_of, *objects, *advances, *advance, *nfc;
    PyTypeObject *char_type;
    double fx0, fy0, fx1, fy1, width, height;
    if (!PyArg_ParseTuple(args, "KiO!(ddddi)ddOO!O!OOO!", &tp_address, &n, &PyTuple_Type, &calls, &fx0, &fy0, &fx1,
                          &fy1, &rotation, &width, &height, &info_of, &PyDict_Type, &objects, &PyDict_Type, &advances,
                          &advance, &nfc, &PyType_Type, &char_type))
        return NULL;
    if (PyTuple_GET_SIZE(calls) != N_CALLS) {
        PyErr_SetString(PyExc_ValueError, "read_chars: wrong number of PDFium calls");
        return NULL;
    }
    void *fn[N_CALLS];
    for (int k = 0; k < N_CALLS; k++) {
        fn[k] = PyLong_AsVoidPtr(PyTuple_GET_ITEM(calls, k));
        if (fn[k] == NULL) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "read_chars: a PDFium call is NULL");
            return NULL;
        }
    }
    void *tp = (void *)(uintptr_t)tp_address;
    unicode_fn get_unicode = (unicode_fn)fn[UNICODE];
    index_fn generated = (index_fn)fn[GENERATED], map_error = (index_fn)fn[MAP_ERROR];
    object_fn text_object = (object_fn)fn[TEXT_OBJECT];
    origin_fn origin = (origin_fn)fn[ORIGIN];
    box_fn loose = (box_fn)fn[LOOSE_BOX];
    matrix_fn char_matrix = (matrix_fn)fn[MATRIX];
    size_fn font_size = (size_fn)fn[FONT_SIZE];
    font_fn obj_font = (font_fn)fn[OBJ_FONT];
    mode_fn render_mode = (mode_fn)fn[RENDER_MODE];
    colour_fn fill_colour = (colour_fn)fn[FILL_COLOUR], stroke_colour = (colour_fn)fn[STROKE_COLOUR];

    PyObject *chars = PyList_New(0), *rotated = PyList_New(0), *off = PyList_New(0), *owners = PyList_New(0);
    PyObject *result = NULL;
    PyObject *current = NULL; /* the text object of the char before (an int), owned */
    PyObject *info = NULL;    /* its _TextObject, borrowed from ``objects`` */
    PyObject *spans = NULL;   /* its glyphs' spans, borrowed from ``advances`` */
    PyObject *last = NULL;    /* the last Char appended to ``chars``, borrowed */
    PyObject *unpacked = NULL; /* the _TextObject whose values the locals below hold, borrowed */
    /* the _TextObjects info_of made on this page (borrowed: ``objects`` holds them), found again by
     * what they were made of; a few slots suffice, a page has a handful of kinds of text */
    record made_of[RECENT];
    PyObject *made_info[RECENT] = {NULL};
    memset(made_of, 0, sizeof made_of);
    if (chars == NULL || rotated == NULL || off == NULL || owners == NULL) goto done;

    /* what the current text object's chars share, unpacked from ``info`` */
    double descent = 0, fs = 0, a = 0, b = 0, c = 0, d = 0, above = 0, below = 0, points = 0;
    int plain = 0, upright = 0, unmapped = 0;
    uintptr_t font = 0;
    /* out-parameters, kept from call to call as the Python reader keeps its ctypes ones */
    rect_f box = {0, 0, 0, 0};
    matrix_f m = {0, 0, 0, 0, 0, 0};
    unsigned int rgba[4] = {0, 0, 0, 0};
    double x = 0, y = 0;
    unsigned int high = 0; /* a pending high surrogate */

    for (int i = 0; i < n; i++) {
        unsigned int code = get_unicode(tp, i);
        if ((code == 0x20 || code == 0x0D || code == 0x0A || code == 0x02) && generated(tp, i))
            continue; /* PDFium's guess of a space or a line break, not a glyph */
        PyObject *obj = PyLong_FromVoidPtr(text_object(tp, i)); /* NULL → 0, as ``or 0`` gives */
        if (obj == NULL) goto done;
        int same = current != NULL ? PyObject_RichCompareBool(obj, current, Py_EQ) : 0;
        if (same < 0) { Py_DECREF(obj); goto done; }
        if (same) {
            Py_DECREF(obj);
        } else {
            Py_XSETREF(current, obj);
            info = PyDict_GetItemWithError(objects, current);
            if (info == NULL) {
                if (PyErr_Occurred()) goto done;
                /* what the object's chars share, read at its first character */
                void *handle = PyLong_AsVoidPtr(current);
                record now;
                memset(&now, 0, sizeof now); /* compared byte for byte: no stray padding */
                char_matrix(tp, i, &m);
                if (handle != NULL) {
                    now.font = (uintptr_t)obj_font(handle);
                    now.mode = render_mode(handle);
                    now.fill = colour(fill_colour, handle, rgba);
                    now.stroke = 0xFFu;
                    if (now.mode == 1 || now.mode == 2 || now.mode == 5 || now.mode == 6)
                        now.stroke = colour(stroke_colour, handle, rgba);
                } else {
                    now.font = 0, now.mode = 0, now.fill = 0xFFu, now.stroke = 0xFFu;
                }
                now.size = font_size(tp, i);
                now.a = m.a, now.b = m.b, now.c = m.c, now.d = m.d;
                now.unmapped = map_error(tp, i) != 0;
                PyObject *made;
                size_t slot = record_hash(&now) % RECENT;
                if (made_info[slot] != NULL && memcmp(&now, &made_of[slot], sizeof now) == 0) {
                    /* the same values, bit for bit, as an object read before (Word sets its runs
                     * of text alike): info_of is a function of them, so its answer is too */
                    made = made_info[slot];
                    Py_INCREF(made);
                } else {
                    made = PyObject_CallFunction(info_of, "KiIIdddddi", (unsigned long long)now.font, now.mode, now.fill,
                                                 now.stroke, now.size, (double)now.a, (double)now.b, (double)now.c,
                                                 (double)now.d, now.unmapped);
                    if (made == NULL) goto done;
                    if (!PyTuple_Check(made) || PyTuple_GET_SIZE(made) != T_FIELDS) {
                        Py_DECREF(made);
                        PyErr_SetString(PyExc_TypeError, "read_chars: info_of must give a _TextObject");
                        goto done;
                    }
                }
                int stored = PyDict_SetItem(objects, current, made);
                Py_DECREF(made);
                if (stored < 0) goto done;
                info = made; /* alive: ``objects`` holds it */
                made_of[slot] = now, made_info[slot] = made;
            }
            if (info != unpacked) {
                /* another _TextObject than the one the locals hold: unpack it */
                if (!as_double(info, T_DESCENT, &descent) || !as_double(info, T_SIZE, &fs) || !as_double(info, T_A, &a) ||
                    !as_double(info, T_B, &b) || !as_double(info, T_C, &c) || !as_double(info, T_D, &d) ||
                    !as_double(info, T_ABOVE, &above) || !as_double(info, T_BELOW, &below) ||
                    !as_double(info, T_POINTS, &points))
                    goto done;
                font = (uintptr_t)PyLong_AsVoidPtr(PyTuple_GET_ITEM(info, T_FONT));
                if (PyErr_Occurred()) goto done;
                if ((plain = PyObject_IsTrue(PyTuple_GET_ITEM(info, T_PLAIN))) < 0) goto done;
                if ((upright = PyObject_IsTrue(PyTuple_GET_ITEM(info, T_UPRIGHT))) < 0) goto done;
                if ((unmapped = PyObject_IsTrue(PyTuple_GET_ITEM(info, T_UNMAPPED))) < 0) goto done;
                /* the widths of the glyphs of this font, size and scale */
                PyObject *key = PyTuple_Pack(3, PyTuple_GET_ITEM(info, T_FONT), PyTuple_GET_ITEM(info, T_SIZE),
                                             PyTuple_GET_ITEM(info, T_A));
                if (key == NULL) goto done;
                spans = PyDict_GetItemWithError(advances, key);
                if (spans == NULL) {
                    if (PyErr_Occurred() || (spans = PyDict_New()) == NULL) { Py_DECREF(key); goto done; }
                    int stored = PyDict_SetItem(advances, key, spans);
                    Py_DECREF(spans); /* alive: ``advances`` holds it */
                    if (stored < 0) { Py_DECREF(key); goto done; }
                }
                Py_DECREF(key);
                unpacked = info;
            }
        }
        origin(tp, i, &x, &y);

        PyObject *text;
        if (0x20 <= code && code < 0xD800 && !unmapped) {
            text = PyUnicode_FromOrdinal((int)code);
        } else if (code == 0x02) {
            text = PyUnicode_FromString("-"); /* the hyphen PDFium marks as breaking a word at a line end */
        } else if (code < 0x20 || (unmapped && map_error(tp, i))) {
            text = PyUnicode_FromFormat("(cid:%u)", code); /* the font maps the glyph to no character */
        } else if (0xD800 <= code && code < 0xDC00) {
            high = code; /* the first half of a character beyond the BMP: the next one completes it */
            continue;
        } else if (0xDC00 <= code && code < 0xE000) {
            if (high) {
                code = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00);
                text = PyUnicode_FromOrdinal((int)code);
            } else {
                code = 0xFFFD;
                text = PyUnicode_FromOrdinal(0xFFFD);
            }
        } else if (0xF900 <= code && code < 0xFB00) {
            /* a CJK compatibility ideograph: its unified one, as Python's NFC gives it */
            PyObject *single = PyUnicode_FromOrdinal((int)code);
            if (single == NULL) goto done;
            text = PyObject_CallOneArg(nfc, single);
            Py_DECREF(single);
        } else {
            text = PyUnicode_FromOrdinal(code < 0x110000 ? (int)code : 0xFFFD);
        }
        if (text == NULL) goto done;
        high = 0;

        double x0, top, x1, bottom, size, base;
        if (plain) {
            /* the advance from the glyph's origin, asked once per glyph of a font, size and scale */
            PyObject *code_key = PyLong_FromUnsignedLong(code);
            if (code_key == NULL) { Py_DECREF(text); goto done; }
            PyObject *span_obj = PyDict_GetItemWithError(spans, code_key);
            double span;
            if (span_obj != NULL) {
                span = PyFloat_AsDouble(span_obj);
            } else if (PyErr_Occurred()) {
                Py_DECREF(code_key); Py_DECREF(text); goto done;
            } else {
                loose(tp, i, &box);
                double adv;
                if (glyph_advance(advance, info, font, code, code_key, &adv) < 0) {
                    Py_DECREF(code_key); Py_DECREF(text); goto done;
                }
                double right = adv != 0.0 ? x + a * adv : (double)box.right;
                if (right > (double)box.right + 0.01 || right <= x)
                    right = (double)box.right; /* the loose box holds the advance; a width beyond it is wrong */
                span = right - x;
                PyObject *stored_span = PyFloat_FromDouble(span);
                if (stored_span == NULL || PyDict_SetItem(spans, code_key, stored_span) < 0) {
                    Py_XDECREF(stored_span); Py_DECREF(code_key); Py_DECREF(text); goto done;
                }
                Py_DECREF(stored_span);
            }
            Py_DECREF(code_key);
            base = fy1 - y;
            x0 = x - fx0, top = base - above, x1 = (x + span) - fx0, bottom = base + below, size = points;
        } else {
            double d0 = descent * fs;
            loose(tp, i, &box);
            PyObject *code_key = PyLong_FromUnsignedLong(code);
            double adv;
            int failed = code_key == NULL || glyph_advance(advance, info, font, code, code_key, &adv) < 0;
            Py_XDECREF(code_key);
            if (failed) { Py_DECREF(text); goto done; }
            double spread = (double)box.right - (double)box.left;
            double w = adv != 0.0 ? adv : (spread > 0.0 ? spread : 0.0); /* Python's max(0.0, spread) */
            /* pdfium._Frame.point: user space → the displayed page */
            double px, py;
            if (rotation == 0) px = x - fx0, py = fy1 - y;
            else if (rotation == 1) px = y - fy0, py = x - fx0;
            else if (rotation == 2) px = fx1 - x, py = y - fy0;
            else px = fy1 - y, py = fx1 - x;
            base = py;
            /* the glyph's box in text space, through the matrix (y up), onto the page (y down) */
            double us[2] = {0.0, w}, vs[2] = {d0, d0 + fs}, xs[4], ys[4];
            for (int p = 0; p < 2; p++)
                for (int q = 0; q < 2; q++) {
                    xs[2 * p + q] = a * us[p] + c * vs[q];
                    ys[2 * p + q] = b * us[p] + d * vs[q];
                }
            x0 = px + least(xs), top = base - greatest(ys), x1 = px + greatest(xs), bottom = base - least(ys);
            size = greatest(ys) - least(ys);
        }

        PyObject *items[C_FIELDS] = {text,
                                     PyFloat_FromDouble(x0),
                                     PyFloat_FromDouble(top),
                                     PyFloat_FromDouble(x1),
                                     PyFloat_FromDouble(bottom),
                                     PyFloat_FromDouble(size),
                                     PyTuple_GET_ITEM(info, T_FONTNAME),
                                     PyFloat_FromDouble(base),
                                     PyTuple_GET_ITEM(info, T_MODE),
                                     PyTuple_GET_ITEM(info, T_FILL),
                                     PyTuple_GET_ITEM(info, T_STROKE),
                                     Py_False};
        Py_INCREF(items[C_FONTNAME]), Py_INCREF(items[C_MODE]), Py_INCREF(items[C_FILL]);
        Py_INCREF(items[C_STROKE]), Py_INCREF(Py_False);
        for (int k = 1; k < C_FIELDS; k++)
            if (items[k] == NULL) {
                for (int j = 0; j < C_FIELDS; j++) Py_XDECREF(items[j]);
                goto done;
            }
        PyObject *ch = new_char(char_type, items);
        if (ch == NULL) goto done;
        int failed;
        if (!upright) {
            failed = PyList_Append(rotated, ch);
        } else if (x1 < 0 || x0 > width || bottom < 0 || top > height) {
            failed = PyList_Append(off, ch);
        } else if (last != NULL && PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(last, C_X0)) == x0 &&
                   PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(last, C_X1)) == x1 &&
                   PyFloat_AS_DOUBLE(PyTuple_GET_ITEM(last, C_BASELINE)) == base &&
                   pieces(PyTuple_GET_ITEM(last, C_TEXT), text)) {
            /* one glyph PDFium gave letter by letter ("ﬁ") */
            PyObject *joined = PyUnicode_Concat(PyTuple_GET_ITEM(last, C_TEXT), text);
            PyObject *merged = joined != NULL ? replaced(last, C_TEXT, joined) : NULL;
            Py_XDECREF(joined);
            failed = merged == NULL || PyList_SetItem(chars, PyList_GET_SIZE(chars) - 1, merged) < 0;
            if (!failed) last = merged;
        } else {
            failed = PyList_Append(owners, current) < 0 || PyList_Append(chars, ch) < 0;
            if (!failed) last = ch;
        }
        Py_DECREF(ch);
        if (failed) goto done;
    }
    result = PyTuple_Pack(4, chars, rotated, off, owners);
done:
    Py_XDECREF(current);
    Py_XDECREF(chars);
    Py_XDECREF(rotated);
    Py_XDECREF(off);
    Py_XDECREF(owners);
    return result;
}

/* dedupe_chars(chars, tol, layer_ratio) → (kept, dups), exactly as chars.dedupe_chars_py: a
 * char with a twin of the same text kept already within ``tol`` in x0 and top is dropped, and
 * the twin marked overprinted (unless the text is blank); if more than ``layer_ratio`` of the
 * kept chars had twins, the whole layer was doubled and no char is marked. None where a char
 * is not one the loop reads or stands at no finite place (or beyond 10^15 points): the Python
 * function then decides.
 *
 * The twin is found as the Python function finds it — in squares twice the tolerance wide, the
 * char's own square first, then the neighbours nearer to it, each in the order kept — but the
 * squares are a C hash table: Python's dict of tuples made four tuples a char, and the garbage
 * collector passes they set off cost more than the search. */
typedef struct {
    PyObject *text; /* borrowed from the list of chars; NULL: an empty slot */
    Py_hash_t hash;
    long long cx, cy;
    Py_ssize_t head, tail; /* the first and last kept char listed in the square */
} square;

static uint64_t square_hash(Py_hash_t text_hash, long long cx, long long cy) {
    uint64_t h = (uint64_t)text_hash * 0x9E3779B97F4A7C15ull;
    h ^= (uint64_t)cx * 0xC2B2AE3D27D4EB4Full + 0x165667B19E3779F9ull;
    h ^= (uint64_t)cy * 0x27D4EB2F165667C5ull;
    return h ^ (h >> 29);
}

/* The slot of the square (text, cx, cy): the one holding it, or the empty one it would go in;
 * -1 on an error of the text comparison. */
static Py_ssize_t find_square(square *table, size_t mask, PyObject *text, Py_hash_t hash, long long cx, long long cy) {
    size_t at = (size_t)square_hash(hash, cx, cy) & mask;
    for (;;) {
        square *q = &table[at];
        if (q->text == NULL) return (Py_ssize_t)at;
        if (q->hash == hash && q->cx == cx && q->cy == cy) {
            int same = q->text == text ? 1 : PyUnicode_Compare(q->text, text) == 0;
            if (same == 0 && PyErr_Occurred()) return -1;
            if (same) return (Py_ssize_t)at;
        }
        at = (at + 1) & mask;
    }
}

static PyObject *dedupe_chars(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *chars;
    double tol, layer_ratio;
    if (!PyArg_ParseTuple(args, "O!dd", &PyList_Type, &chars, &tol, &layer_ratio)) return NULL;
    double cell = tol > 0 ? 2 * tol : 1.0;
    Py_ssize_t n = PyList_GET_SIZE(chars);
    if (!all_chars(chars)) Py_RETURN_NONE;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *ch = PyList_GET_ITEM(chars, k);
        double fx = FIELD(ch, C_X0) / cell, fy = FIELD(ch, C_TOP) / cell;
        if (!(fabs(fx) < 1e15 && fabs(fy) < 1e15)) Py_RETURN_NONE; /* NaN, infinite or absurd: Python's answer */
    }
    size_t size = 8;
    while (size < 2 * (size_t)n + 2) size <<= 1;
    square *table = PyMem_Calloc(size, sizeof(square));
    Py_ssize_t *next = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(n + 1));
    double *kx = PyMem_Malloc(sizeof(double) * (size_t)(n + 1)), *ktop = PyMem_Malloc(sizeof(double) * (size_t)(n + 1));
    PyObject *out = PyList_New(0), *result = NULL;
    if (table == NULL || next == NULL || kx == NULL || ktop == NULL || out == NULL) {
        if (!PyErr_Occurred()) PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *ch = PyList_GET_ITEM(chars, k), *text = PyTuple_GET_ITEM(ch, C_TEXT);
        double x0 = FIELD(ch, C_X0), top = FIELD(ch, C_TOP);
        Py_hash_t hash = PyObject_Hash(text);
        if (hash == -1) goto done;
        double fx = x0 / cell, fy = top / cell, fcx = floor(fx), fcy = floor(fy);
        long long cx = (long long)fcx, cy = (long long)fcy;
        long long nx = fx - fcx < 0.5 ? cx - 1 : cx + 1, ny = fy - fcy < 0.5 ? cy - 1 : cy + 1;
        long long keys[4][2] = {{cx, cy}, {nx, cy}, {cx, ny}, {nx, ny}};
        Py_ssize_t twin = -1, own = -1;
        for (int s = 0; s < 4 && twin < 0; s++) {
            Py_ssize_t at = find_square(table, size - 1, text, hash, keys[s][0], keys[s][1]);
            if (at < 0) goto done;
            if (s == 0) own = at;
            for (Py_ssize_t i = table[at].text ? table[at].head : -1; i >= 0; i = next[i])
                if (fabs(kx[i] - x0) <= tol && fabs(ktop[i] - top) <= tol) {
                    twin = i;
                    break;
                }
        }
        if (twin >= 0) {
            if (!is_blank(text)) {
                PyObject *marked = replaced(PyList_GET_ITEM(out, twin), C_OVERPRINTED, Py_True);
                if (marked == NULL || PyList_SetItem(out, twin, marked) < 0) goto done;
            }
            continue;
        }
        /* kept: listed last in its own square */
        Py_ssize_t index = PyList_GET_SIZE(out);
        square *q = &table[own];
        if (q->text == NULL) {
            q->text = text, q->hash = hash, q->cx = cx, q->cy = cy, q->head = index;
        } else {
            next[q->tail] = index;
        }
        q->tail = index;
        next[index] = -1, kx[index] = x0, ktop[index] = top;
        if (PyList_Append(out, ch) < 0) goto done;
    }
    Py_ssize_t kept_n = PyList_GET_SIZE(out), dups = n - kept_n;
    if ((double)dups > layer_ratio * (double)kept_n) {
        /* a duplicated text layer, not emphasis: nothing is marked */
        for (Py_ssize_t k = 0; k < kept_n; k++) {
            PyObject *ch = PyList_GET_ITEM(out, k);
            int over = PyObject_IsTrue(PyTuple_GET_ITEM(ch, C_OVERPRINTED));
            if (over < 0) goto done;
            if (over) {
                PyObject *plain = replaced(ch, C_OVERPRINTED, Py_False);
                if (plain == NULL || PyList_SetItem(out, k, plain) < 0) goto done;
            }
        }
    }
    result = Py_BuildValue("(On)", out, dups);
done:
    PyMem_Free(table);
    PyMem_Free(next);
    PyMem_Free(kx);
    PyMem_Free(ktop);
    Py_XDECREF(out);
    return result;
}

/* page_objects(page, count, get_object, get_type, seen) → [(type, object), …]: the page's
 * objects (FPDFPage_GetObject, FPDFPageObj_GetType at the addresses given) in order, leaving
 * out the text objects in ``seen`` (the ones the text layer read) — a report has 25 000 text
 * objects, and the reader needs the paths, images, forms and unread text among them. */
typedef void *(*page_object_fn)(void *, int);
typedef int (*type_fn)(void *);

static PyObject *page_objects(PyObject *self, PyObject *args) {
    (void)self;
    unsigned long long page_address, get_address, type_address;
    int count;
    PyObject *seen;
    if (!PyArg_ParseTuple(args, "KiKKO!", &page_address, &count, &get_address, &type_address, &PySet_Type, &seen))
        return NULL;
    if (!page_address || !get_address || !type_address) {
        PyErr_SetString(PyExc_ValueError, "page_objects: a NULL address");
        return NULL;
    }
    page_object_fn get = (page_object_fn)(uintptr_t)get_address;
    type_fn kind_of = (type_fn)(uintptr_t)type_address;
    void *page = (void *)(uintptr_t)page_address;
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    for (int k = 0; k < count; k++) {
        void *obj = get(page, k);
        if (obj == NULL) continue;
        int kind = kind_of(obj);
        PyObject *handle = PyLong_FromVoidPtr(obj);
        if (handle == NULL) goto fail;
        if (kind == 1) { /* FPDF_PAGEOBJ_TEXT */
            int read = PySet_Contains(seen, handle);
            if (read < 0) { Py_DECREF(handle); goto fail; }
            if (read) { Py_DECREF(handle); continue; }
        }
        PyObject *item = Py_BuildValue("(iN)", kind, handle);
        if (item == NULL || PyList_Append(out, item) < 0) { Py_XDECREF(item); goto fail; }
        Py_DECREF(item);
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* chars.tracking_py: the median gap between neighbouring visible glyphs (gaps below zero count
 * as zero, so no gap is NaN and the order of equal gaps does not matter). -1 on no memory. */
static int tracking(PyObject *chars, double *out) {
    Py_ssize_t n = PyList_GET_SIZE(chars), count = 0;
    double *gaps = PyMem_Malloc(sizeof(double) * (size_t)(n + 1));
    if (gaps == NULL) return -1;
    PyObject *before = NULL;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *c = PyList_GET_ITEM(chars, k);
        if (!is_blank(PyTuple_GET_ITEM(c, C_TEXT))) {
            if (before != NULL) {
                double gap = FIELD(c, C_X0) - FIELD(before, C_X1);
                gaps[count++] = gap > 0.0 ? gap : 0.0;
            }
            before = c;
        } else {
            before = NULL;
        }
    }
    qsort(gaps, (size_t)count, sizeof(double), by_value);
    *out = count ? gaps[count / 2] : 0.0;
    PyMem_Free(gaps);
    return 0;
}

/* line_text(chars, size, word_gap_em, column_gap_em, mark_ratio, word_break, style)
 *   → (text, marks, runs, xs) before stripping, exactly as chars.line_text_py makes them; None
 * where the line is not one the loop reads (empty, or values of other types): the Python
 * function then answers. ``word_break(prev, cur, gap, word_gap)`` is asked where a gap is wider
 * than a word space but narrower than a column; ``style(fontname, overprinted, mode, size)``
 * where the type of a visible char differs from the char before it asked about. */
static PyObject *line_text(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *chars, *word_break, *style_of;
    double size, word_gap_em, column_gap_em, mark_ratio;
    if (!PyArg_ParseTuple(args, "O!ddddOO", &PyList_Type, &chars, &size, &word_gap_em, &column_gap_em, &mark_ratio,
                          &word_break, &style_of))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(chars);
    if (n == 0 || !all_chars(chars)) Py_RETURN_NONE;
    double track;
    if (tracking(chars, &track) < 0) return PyErr_NoMemory();
    double word_gap = track + word_gap_em * size, column_gap = column_gap_em * size;
    double lowest = FIELD(PyList_GET_ITEM(chars, 0), C_BOTTOM);
    for (Py_ssize_t k = 1; k < n; k++) {
        double b = FIELD(PyList_GET_ITEM(chars, k), C_BOTTOM);
        if (b > lowest) lowest = b;
    }
    lowest -= 1;
    double small = mark_ratio * size;

    PyObject *out = PyList_New(0), *xs = PyList_New(0), *marks = PyList_New(0), *runs = PyList_New(0);
    PyObject *style = NULL, *asked = NULL; /* the run's type; the last (fontname, overprinted, mode, size) asked */
    PyObject *space = PyUnicode_FromOrdinal(' ');
    PyObject *result = NULL;
    if (out == NULL || xs == NULL || marks == NULL || runs == NULL || space == NULL) goto done;
    Py_ssize_t length = 0;
    PyObject *prev = NULL, *before = NULL; /* the char before and its text (borrowed) */
    int prev_mark = 0;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *ch = PyList_GET_ITEM(chars, k), *t = PyTuple_GET_ITEM(ch, C_TEXT);
        double ch_size = FIELD(ch, C_SIZE);
        if (ch_size < small && FIELD(ch, C_BOTTOM) < lowest && is_digits(t)) {
            /* a footnote reference mark, taken out of the text */
            Py_ssize_t last = PyList_GET_SIZE(marks) - 1;
            PyObject *mark;
            if (last >= 0 && PyLong_AsSsize_t(PyTuple_GET_ITEM(PyList_GET_ITEM(marks, last), 0)) == length &&
                prev != NULL && prev_mark) {
                PyObject *joined = PyUnicode_Concat(PyTuple_GET_ITEM(PyList_GET_ITEM(marks, last), 1), t);
                mark = joined ? Py_BuildValue("(nN)", length, joined) : NULL;
                if (mark == NULL || PyList_SetItem(marks, last, mark) < 0) goto done;
            } else {
                mark = Py_BuildValue("(nO)", length, t);
                if (mark == NULL || PyList_Append(marks, mark) < 0) { Py_XDECREF(mark); goto done; }
                Py_DECREF(mark);
            }
            prev = ch, prev_mark = 1, before = t;
            continue;
        }
        double x0 = FIELD(ch, C_X0);
        Py_ssize_t tn = PyUnicode_GET_LENGTH(t);
        if (prev != NULL && !prev_mark && !is_single_space(t) && !is_single_space(before) &&
            PyUnicode_GET_LENGTH(before) > 0 && tn > 0) {
            double gap = x0 - FIELD(prev, C_X1);
            if (gap > word_gap) {
                int apart = gap > column_gap;
                if (!apart) {
                    PyObject *p = PyUnicode_Substring(before, PyUnicode_GET_LENGTH(before) - 1, PyUnicode_GET_LENGTH(before));
                    PyObject *c = PyUnicode_Substring(t, 0, 1);
                    PyObject *said = p && c ? PyObject_CallFunction(word_break, "OOdd", p, c, gap, word_gap) : NULL;
                    Py_XDECREF(p);
                    Py_XDECREF(c);
                    if (said == NULL) goto done;
                    apart = PyObject_IsTrue(said);
                    Py_DECREF(said);
                    if (apart < 0) goto done;
                }
                if (apart) {
                    if (PyList_Append(out, space) < 0 || PyList_Append(xs, PyTuple_GET_ITEM(prev, C_X1)) < 0) goto done;
                    length += 1;
                }
            }
        }
        if (!is_blank(t)) {
            PyObject *key = PyTuple_Pack(4, PyTuple_GET_ITEM(ch, C_FONTNAME), PyTuple_GET_ITEM(ch, C_OVERPRINTED),
                                         PyTuple_GET_ITEM(ch, C_MODE), PyTuple_GET_ITEM(ch, C_SIZE));
            if (key == NULL) goto done;
            int same = asked != NULL ? PyObject_RichCompareBool(key, asked, Py_EQ) : 0;
            if (same < 0) { Py_DECREF(key); goto done; }
            if (same) {
                Py_DECREF(key);
            } else {
                /* the type changed from the char before that had one: ask for it */
                Py_XSETREF(asked, key);
                PyObject *now = PyObject_Call(style_of, asked, NULL);
                if (now == NULL) goto done;
                int changed = style != NULL ? PyObject_RichCompareBool(now, style, Py_NE) : 1;
                if (changed < 0 || !PyTuple_Check(now) || PyTuple_GET_SIZE(now) != 3) {
                    Py_DECREF(now);
                    if (changed >= 0) PyErr_SetString(PyExc_TypeError, "line_text: style must give (bold, family, size)");
                    goto done;
                }
                if (changed) {
                    PyObject *run = Py_BuildValue("(nOOO)", length, PyTuple_GET_ITEM(now, 0), PyTuple_GET_ITEM(now, 1),
                                                  PyTuple_GET_ITEM(now, 2));
                    if (run == NULL || PyList_Append(runs, run) < 0) { Py_XDECREF(run); Py_DECREF(now); goto done; }
                    Py_DECREF(run);
                    Py_XSETREF(style, now);
                } else {
                    Py_DECREF(now);
                }
            }
        }
        if (PyList_Append(out, t) < 0) goto done;
        for (Py_ssize_t j = 0; j < tn; j++)
            if (PyList_Append(xs, PyTuple_GET_ITEM(ch, C_X0)) < 0) goto done;
        length += tn;
        prev = ch, prev_mark = 0, before = t;
    }
    {
        PyObject *empty = PyUnicode_New(0, 0);
        PyObject *text = empty ? PyUnicode_Join(empty, out) : NULL;
        Py_XDECREF(empty);
        if (text == NULL) goto done;
        result = Py_BuildValue("(NOOO)", text, marks, runs, xs);
    }
done:
    Py_XDECREF(out);
    Py_XDECREF(xs);
    Py_XDECREF(marks);
    Py_XDECREF(runs);
    Py_XDECREF(style);
    Py_XDECREF(asked);
    Py_XDECREF(space);
    return result;
}

/* group_lines(chars, ratio) → [[char, …], …]: chars.chars_to_lines_py's clustering of chars
 * (already in (top, x0) order) into lines by vertical overlap, each char tried against the last
 * three lines; None where a char is not one the loop reads. */
static PyObject *group_lines(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *chars;
    double ratio;
    if (!PyArg_ParseTuple(args, "O!d", &PyList_Type, &chars, &ratio)) return NULL;
    if (!all_chars(chars)) Py_RETURN_NONE;
    Py_ssize_t n = PyList_GET_SIZE(chars);
    double *tops = PyMem_Malloc(sizeof(double) * (size_t)(n + 1)), *bottoms = PyMem_Malloc(sizeof(double) * (size_t)(n + 1));
    PyObject *lines = PyList_New(0);
    if (tops == NULL || bottoms == NULL || lines == NULL) {
        PyMem_Free(tops);
        PyMem_Free(bottoms);
        Py_XDECREF(lines);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *ch = PyList_GET_ITEM(chars, k);
        double top = FIELD(ch, C_TOP), bottom = FIELD(ch, C_BOTTOM);
        double h = bottom - top;
        if (h < 0.1) h = 0.1;
        Py_ssize_t count = PyList_GET_SIZE(lines), i = count - 1, stop = count > 3 ? count - 4 : -1;
        int placed = 0;
        for (; i > stop; i--) {
            double lt = tops[i], lb = bottoms[i];
            double overlap = (bottom < lb ? bottom : lb) - (top > lt ? top : lt);
            double lh = lb - lt;
            if (overlap >= ratio * (h < lh ? h : lh)) {
                if (PyList_Append(PyList_GET_ITEM(lines, i), ch) < 0) goto fail;
                if (bottom > lb) bottoms[i] = bottom;
                placed = 1;
                break;
            }
        }
        if (!placed) {
            PyObject *line = PyList_New(1);
            if (line == NULL) goto fail;
            Py_INCREF(ch);
            PyList_SET_ITEM(line, 0, ch);
            if (PyList_Append(lines, line) < 0) { Py_DECREF(line); goto fail; }
            Py_DECREF(line);
            tops[count] = top, bottoms[count] = bottom;
        }
    }
    PyMem_Free(tops);
    PyMem_Free(bottoms);
    return lines;
fail:
    PyMem_Free(tops);
    PyMem_Free(bottoms);
    Py_DECREF(lines);
    return NULL;
}

static PyMethodDef methods[] = {
    {"line_text", line_text, METH_VARARGS, "A printed line's text, marks, runs and positions (see chars.line_text_py)."},
    {"group_lines", group_lines, METH_VARARGS, "Chars in (top, x0) order clustered into lines (see chars.chars_to_lines_py)."},
    {"page_objects", page_objects, METH_VARARGS, "A page's objects but the text objects already read (see pdfium._page_objects)."},
    {"read_chars", read_chars, METH_VARARGS, "A page's text layer read into Char values (see pdfium._read_chars_py)."},
    {"dedupe_chars", dedupe_chars, METH_VARARGS, "Glyphs drawn twice dropped (see chars.dedupe_chars_py)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_native", "The reader's per-character loops in C.", -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__native(void) { return PyModule_Create(&module); }

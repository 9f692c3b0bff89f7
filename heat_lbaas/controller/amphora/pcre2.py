"""Regular expressions checked by the engine HAProxy matches them with: PCRE2.

Python's `re` accepts expressions PCRE2 refuses (`\\u0041`, `(?a)`, a backreference
to an unnamed group, which HAProxy compiles without captures), and HAProxy refuses a
whole configuration for one of them. The check calls libpcre2-8 (the library the
haproxy binary links) with the flags of HAProxy's regex_comp(): no auto capture,
then a JIT compile, whose failure HAProxy also treats as an error.
"""
import ctypes
import ctypes.util
import functools

PCRE2_CASELESS = 0x00000008
PCRE2_NO_AUTO_CAPTURE = 0x00002000
PCRE2_JIT_COMPLETE = 0x00000001
# pcre2_jit_compile's answer when the library has no JIT: HAProxy goes on without.
PCRE2_ERROR_JIT_BADOPTION = -45


class Unavailable(Exception):
    """libpcre2-8 cannot be loaded on this host."""


@functools.cache
def _library():
    name = ctypes.util.find_library('pcre2-8') or 'libpcre2-8.so.0'
    try:
        lib = ctypes.CDLL(name)
    except OSError as error:
        raise Unavailable('libpcre2-8 (the regex library of HAProxy) is not '
                          'installed: %s' % error)
    lib.pcre2_compile_8.restype = ctypes.c_void_p
    lib.pcre2_compile_8.argtypes = [
        ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint32,
        ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_size_t), ctypes.c_void_p]
    lib.pcre2_jit_compile_8.restype = ctypes.c_int
    lib.pcre2_jit_compile_8.argtypes = [ctypes.c_void_p, ctypes.c_uint32]
    lib.pcre2_code_free_8.restype = None
    lib.pcre2_code_free_8.argtypes = [ctypes.c_void_p]
    lib.pcre2_get_error_message_8.restype = ctypes.c_int
    lib.pcre2_get_error_message_8.argtypes = [
        ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t]
    return lib


def _message(lib, code):
    buffer = ctypes.create_string_buffer(256)
    lib.pcre2_get_error_message_8(code, buffer, len(buffer))
    return buffer.value.decode('ascii', 'replace')


def error(pattern, caseless=False):
    """None if HAProxy would compile `pattern` (as one ACL word after unescaping),
    else PCRE2's reason. Raises Unavailable without libpcre2-8."""
    lib = _library()
    data = pattern.encode('utf-8')
    code, offset = ctypes.c_int(), ctypes.c_size_t()
    options = PCRE2_NO_AUTO_CAPTURE | (PCRE2_CASELESS if caseless else 0)
    compiled = lib.pcre2_compile_8(data, len(data), options, ctypes.byref(code),
                                   ctypes.byref(offset), None)
    if not compiled:
        return '%s at position %d' % (_message(lib, code.value), offset.value)
    try:
        jit = lib.pcre2_jit_compile_8(compiled, PCRE2_JIT_COMPLETE)
        if jit < 0 and jit != PCRE2_ERROR_JIT_BADOPTION:
            return 'JIT compilation failed: %s' % _message(lib, jit)
        return None
    finally:
        lib.pcre2_code_free_8(compiled)

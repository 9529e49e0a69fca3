//! Checks an ONNX Runtime library before ort is handed it. ort asserts (panics) when the library's
//! `OrtGetApiBase` returns NULL or its API table for our version is NULL, and reads the version
//! string without a NULL check: a stub or broken library must be a one-line error instead.
use std::ffi::{c_char, CStr};
use std::path::Path;

/// `OrtApiBase` as the C header lays it out, with nullable entries so that a NULL can be seen.
#[repr(C)]
struct ApiBase {
    get_api: Option<unsafe extern "C" fn(version: u32) -> *const std::ffi::c_void>,
    get_version_string: Option<unsafe extern "C" fn() -> *const c_char>,
}

/// `Ok(version)` when the library at `path` loads, exports `OrtGetApiBase`, and hands out the API
/// table of the version ort was built for; else why not, in one line.
pub fn check_library(path: &Path) -> Result<String, String> {
    // SAFETY: loading a library runs its initialisers; that is what using it means anyway, and
    // ort would load the same file next.
    let lib = unsafe { libloading::Library::new(path) }
        .map_err(|e| format!("cannot load {}: {e}", path.display()))?;
    // SAFETY: the symbol's type is the C declaration `const OrtApiBase* OrtGetApiBase(void)`.
    let get_base =
        unsafe { lib.get::<unsafe extern "C" fn() -> *const ApiBase>(b"OrtGetApiBase\0") }
            .map_err(|_| {
                format!(
                    "{} is not ONNX Runtime (it does not export OrtGetApiBase)",
                    path.display()
                )
            })?;
    let broken = |what: &str| format!("{} is not a usable ONNX Runtime: {what}", path.display());
    // SAFETY: a plain C call without arguments; the result is checked for NULL before use.
    let base = unsafe { get_base() };
    // SAFETY: not NULL, and points at the library's static OrtApiBase (two function pointers).
    let base = unsafe { base.as_ref() }.ok_or_else(|| broken("OrtGetApiBase returned NULL"))?;
    let (Some(get_api), Some(get_version)) = (base.get_api, base.get_version_string) else {
        return Err(broken("its OrtApiBase holds a NULL function"));
    };
    // SAFETY: the library's own version string getter; the pointer is checked before it is read.
    let version = unsafe { get_version() };
    let version = if version.is_null() {
        return Err(broken("GetVersionString returned NULL"));
    } else {
        // SAFETY: a NUL-terminated static string owned by the library.
        unsafe { CStr::from_ptr(version) }
            .to_string_lossy()
            .chars()
            .take(40)
            .collect::<String>()
    };
    let wanted = ort::sys::ORT_API_VERSION;
    // SAFETY: GetApi takes the API version and returns a static table or NULL.
    if unsafe { get_api(wanted) }.is_null() {
        return Err(broken(&format!(
            "version {:?} gives no API table for API version {wanted} (ONNX Runtime 1.{wanted} or newer is needed)",
            crate::names::sanitize(&version)
        )));
    }
    // Keep it loaded: ort opens the same file next, and the process keeps it until it exits.
    std::mem::forget(lib);
    Ok(version)
}

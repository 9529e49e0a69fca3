//! `models/models.json`: where each model came from, its licence and checksum, so `kneetrack
//! models` can tell whether the file on disk is the one the build script produced.
use crate::error::{Error, Result};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// `models/models.json`: where each model file comes from and its checksum.
#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    pub models: Vec<ManifestEntry>,
}

/// One model file's provenance: its package, licence and sha256.
#[derive(Debug, Clone, Deserialize)]
pub struct ManifestEntry {
    pub name: String,
    pub file: String,
    pub keypoints: usize,
    pub committed: bool,
    pub source: Source,
    pub onnx: OnnxInfo,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Source {
    pub package: String,
    #[serde(default)]
    pub package_license: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OnnxInfo {
    pub sha256: String,
    pub size_bytes: u64,
}

/// What the file on disk is, against the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileStatus {
    Verified,
    Missing,
    /// Present but not the manifest's bytes (rebuilt differently, or damaged).
    Mismatch,
}

impl Manifest {
    pub fn load(models_dir: &Path) -> Result<Self> {
        let path = models_dir.join("models.json");
        let text =
            std::fs::read_to_string(&path).map_err(|e| Error::input(&path, e.to_string()))?;
        serde_json::from_str(&text)
            .map_err(|e| Error::input(&path, format!("unreadable manifest: {e}")))
    }

    pub fn entry(&self, name: &str) -> Option<&ManifestEntry> {
        self.models.iter().find(|m| m.name == name)
    }
}

/// sha256 of a file, hex.
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut f = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Checks the file of `entry` in `models_dir`.
pub fn check(models_dir: &Path, entry: &ManifestEntry) -> FileStatus {
    let path = models_dir.join(&entry.file);
    match std::fs::metadata(&path) {
        Err(_) => FileStatus::Missing,
        Ok(meta) if meta.len() != entry.onnx.size_bytes => FileStatus::Mismatch,
        Ok(_) => match sha256_file(&path) {
            Ok(h) if h == entry.onnx.sha256 => FileStatus::Verified,
            _ => FileStatus::Mismatch,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_known_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("abc");
        std::fs::write(&f, b"abc").unwrap();
        assert_eq!(
            sha256_file(&f).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn committed_models_match_the_manifest() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
        let manifest = Manifest::load(&dir).unwrap();
        for e in manifest.models.iter().filter(|e| e.committed) {
            assert_eq!(check(&dir, e), FileStatus::Verified, "{}", e.name);
        }
    }
}

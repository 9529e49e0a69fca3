//! `kneetrack models`: which pose models kneetrack knows and whether their files are present.
use kneetrack::models as catalog;

/// `kneetrack models`: the known models, their files, checksums and sources.
pub fn list() -> Result<(), kneetrack::Error> {
    use super::stdout::line;
    use kneetrack::{FileStatus, Manifest};
    let dir = catalog::models_dir();
    line(&format!("models folder: {}", dir.display()))?;
    let manifest = Manifest::load(&dir).ok();
    line(&format!(
        "  {:<18} {:>9} {:>9}  {:<22} {:<40} source",
        "name", "keypoints", "size", "file", "checksum"
    ))?;
    for m in catalog::KNOWN_MODELS {
        let entry = manifest.as_ref().and_then(|mf| mf.entry(m.name));
        let path = dir.join(m.file);
        let size = std::fs::metadata(&path).map_or_else(
            |_| "—".into(),
            |meta| format!("{:.1} MB", meta.len() as f64 / 1e6),
        );
        let status = match entry.map(|e| kneetrack::check_model_file(&dir, e)) {
            Some(FileStatus::Verified) => "sha256 ok".to_string(),
            Some(FileStatus::Mismatch) => "sha256 differs from models.json".to_string(),
            Some(FileStatus::Missing) | None if !path.is_file() => {
                "missing: scripts/build_models.sh".to_string()
            }
            _ => "not in models.json".to_string(),
        };
        let source = entry.map_or_else(String::new, |e| {
            format!("{} ({})", e.source.package, e.source.package_license)
        });
        let default = if m.name == catalog::DEFAULT_MODEL {
            " (default)"
        } else {
            ""
        };
        line(&format!(
            "  {:<18} {:>9} {:>9}  {:<22} {:<40} {source}{default}",
            m.name, m.keypoints, size, m.file, status
        ))?;
    }
    Ok(())
}

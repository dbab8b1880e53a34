//! Embeds `templates/` (with its catalogs) and `migrations/` into the binary so an installed
//! service needs no files beside it (a `templates.dir` still overrides).
use std::{env, fs, path::Path};

fn main() {
    let root = env::var("CARGO_MANIFEST_DIR").unwrap();
    let out = env::var("OUT_DIR").unwrap();
    let mut code = String::new();
    // Templates and their catalogs (templates/catalogs/*.ftl), migrations.
    for (name, dir, exts) in
        [("TEMPLATES", "templates", &["hbs", "ftl"][..]), ("MIGRATIONS", "migrations", &["sql"][..])]
    {
        let base = Path::new(&root).join(dir);
        println!("cargo:rerun-if-changed={}", base.display());
        let mut files = Vec::new();
        collect(&base, &base, exts, &mut files);
        files.sort();
        code.push_str(&format!("pub static {name}: &[(&str, &str)] = &[\n"));
        for (rel, abs) in files {
            println!("cargo:rerun-if-changed={abs}");
            code.push_str(&format!("    ({rel:?}, include_str!({abs:?})),\n"));
        }
        code.push_str("];\n");
    }
    fs::write(Path::new(&out).join("embedded.rs"), code).unwrap();
}

fn collect(base: &Path, dir: &Path, exts: &[&str], files: &mut Vec<(String, String)>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(base, &path, exts, files);
        } else if path.extension().is_some_and(|e| exts.iter().any(|x| e == *x)) {
            let rel = path.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
            files.push((rel, path.to_string_lossy().into_owned()));
        }
    }
}

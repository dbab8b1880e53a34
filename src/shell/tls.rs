//! The rustls client configuration: the system's roots plus an optional extra CA file.
use std::{path::Path, sync::Arc};

use rustls::pki_types::{CertificateDer, pem::PemObject};

/// Installs ring as the process's rustls provider (two compiled-in providers panic otherwise).
pub fn install_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

pub fn client_config(ca_file: Option<&Path>) -> Result<Arc<rustls::ClientConfig>, String> {
    install_provider();
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    if let Some(path) = ca_file {
        for cert in CertificateDer::pem_file_iter(path).map_err(|e| format!("cannot read {}: {e}", path.display()))? {
            let cert = cert.map_err(|e| format!("cannot read a certificate in {}: {e}", path.display()))?;
            roots.add(cert).map_err(|e| format!("cannot trust the certificate in {}: {e}", path.display()))?;
        }
    }
    Ok(Arc::new(rustls::ClientConfig::builder().with_root_certificates(roots).with_no_client_auth()))
}

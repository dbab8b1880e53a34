//! The rustls client configuration and the HTTP clients' trust: the system's roots plus an optional extra CA file.
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

/// Why an HTTP client (webhook, token endpoint) could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum HttpClientError {
    #[error("{key}: cannot read {path}")]
    CaFile { key: &'static str, path: String, source: std::io::Error },
    #[error("{key}: {path} holds no certificate that can be trusted")]
    Certificate { key: &'static str, path: String, source: reqwest::Error },
    #[error("cannot set up the HTTP client")]
    Build(#[source] reqwest::Error),
}

/// The client `builder` makes, trusting the system's roots and, when the
/// setting `key` names a `ca_file`, the certificates in it (PEM) too: a
/// receiver whose certificate a private CA signed is reached without
/// `SSL_CERT_FILE`, which would replace the system's roots for every server.
pub fn http_client(
    builder: reqwest::ClientBuilder,
    ca_file: Option<&Path>,
    key: &'static str,
) -> Result<reqwest::Client, HttpClientError> {
    install_provider();
    let builder = match ca_file {
        None => builder,
        Some(path) => {
            let shown = path.display().to_string();
            let pem =
                std::fs::read(path).map_err(|source| HttpClientError::CaFile { key, path: shown.clone(), source })?;
            let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|source| HttpClientError::Certificate {
                key,
                path: shown,
                source,
            })?;
            builder.tls_certs_merge(certs)
        }
    };
    builder.build().map_err(HttpClientError::Build)
}

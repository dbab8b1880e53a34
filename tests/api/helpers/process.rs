//! `smartacct` as a child process, its stderr collected line by line.
use std::time::{Duration, Instant};

use super::*;

/// `smartacct` running as a child process, its stderr collected line by line.
pub struct Running {
    pub child: std::process::Child,
    pub lines: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl TestDesk {
    /// Starts the binary with `args` and extra environment.
    pub fn start(&self, args: &[&str], env: &[(&str, &str)]) -> Running {
        let mut cmd = self.bin();
        cmd.args(args).stderr(std::process::Stdio::piped()).stdout(std::process::Stdio::null());
        cmd.env("RUST_LOG", "info,smartacct=debug");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("smartacct starts");
        let stderr = child.stderr.take().unwrap();
        let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = lines.clone();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Running { child, lines }
    }
}

impl Running {
    pub fn log(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    /// Waits until a stderr line contains `text` (or the process exits).
    pub async fn wait_log(&mut self, text: &str) -> bool {
        let start = Instant::now();
        loop {
            if self.lines.lock().unwrap().iter().any(|l| l.contains(text)) {
                return true;
            }
            if self.child.try_wait().unwrap().is_some() || start.elapsed() > MAIL_WAIT {
                return self.lines.lock().unwrap().iter().any(|l| l.contains(text));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub fn signal(&self, sig: &str) {
        let ok = std::process::Command::new("kill").args([sig, &self.child.id().to_string()]).status().unwrap();
        assert!(ok.success());
    }

    /// Waits for the process to exit, within a bound.
    pub async fn exit(&mut self) -> std::process::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(start.elapsed() < MAIL_WAIT, "smartacct did not exit; log:\n{}", self.log());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn kill9(&mut self) {
        self.signal("-KILL");
        self.exit().await;
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- smartacct's log ---\n{}", self.log());
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

//! The refresh token an OAuth2 provider rotated, kept so that it survives a restart.
use sqlx::Row;

use super::dialect::query;
use super::{Result, Store, ts};

impl Store {
    /// The rotated refresh token of `slot`, if the file still holds the token it replaced.
    pub async fn rotated_refresh_token(&self, slot: &str, file_hash: &str) -> Result<Option<String>> {
        let row = query("SELECT refresh_token FROM oauth2_refresh_tokens WHERE slot = ? AND file_hash = ?")
            .bind(slot)
            .bind(file_hash)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.get(0)))
    }

    /// Keeps `token` as the successor of the file's token (whose hash is `file_hash`).
    pub async fn keep_refresh_token(&self, slot: &str, file_hash: &str, token: &str) -> Result<()> {
        let _writer = self.writer.lock().await;
        let mut tx = self.write().await?;
        query(
            "INSERT INTO oauth2_refresh_tokens (slot, file_hash, refresh_token, updated_at) VALUES (?, ?, ?, ?) \
             ON CONFLICT (slot) DO UPDATE SET file_hash = excluded.file_hash, refresh_token = excluded.refresh_token, \
             updated_at = excluded.updated_at",
        )
        .bind(slot)
        .bind(file_hash)
        .bind(token)
        .bind(ts(chrono::Utc::now()))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

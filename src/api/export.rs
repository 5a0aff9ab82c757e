//! `GET /export?format=FORMAT`: the whole dataset, streamed. A blocking thread writes the export
//! through a small bounded channel, so memory stays flat however large the store is and a slow
//! client slows the writer instead of filling memory.

use super::{ApiError, AppState};
use crate::store::ExportFormat;
use actix_web::http::Method;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use std::io::{self, Write};
use tokio::sync::mpsc;

#[derive(Deserialize)]
pub struct ExportParams {
    format: Option<String>,
}

/// An `io::Write` that sends chunks of at most 64 KiB down a channel.
struct ChannelWriter {
    buffer: Vec<u8>,
    sender: mpsc::Sender<Result<Bytes, io::Error>>,
}

impl ChannelWriter {
    const CHUNK: usize = 64 * 1024;

    fn send(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(Self::CHUNK)));
        // The client went away: stop writing.
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "client gone"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= Self::CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

pub async fn export(
    request: HttpRequest,
    params: web::Query<ExportParams>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let names: Vec<&str> = ExportFormat::ALL.iter().map(|format| format.name()).collect();
    let Some(name) = params.format.as_deref() else {
        return Err(ApiError::BadRequest(format!(
            "give ?format=, one of: {}",
            names.join(", ")
        )));
    };
    let format = name
        .parse::<ExportFormat>()
        .map_err(|_| ApiError::BadRequest(format!("unknown format `{name}`; use one of: {}", names.join(", "))))?;
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CONTENT_TYPE, format!("{}; charset=utf-8", format.media_type())))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"govgraph.{}\"", format.file_extension()),
        ));
    // The headers are all a HEAD asks for: the dataset is not read.
    if request.method() == Method::HEAD {
        return Ok(response.body(actix_web::body::None::new()));
    }
    let (sender, mut receiver) = mpsc::channel::<Result<Bytes, io::Error>>(4);
    let store = state.store.clone();
    let streaming = super::blocking::on_pool(move || {
        let mut writer = ChannelWriter {
            buffer: Vec::with_capacity(ChannelWriter::CHUNK),
            sender,
        };
        let result = store
            .export(format, &mut writer)
            .and_then(|()| writer.flush().map_err(crate::store::StoreError::Output));
        if let Err(error) = result {
            tracing::warn!(%error, "export stopped");
            let _ = writer.sender.blocking_send(Err(io::Error::other(error.to_string())));
        }
    });
    // Runs while the response streams; the channel ends the body when it is done.
    actix_web::rt::spawn(streaming);
    let body = futures_util::stream::poll_fn(move |context| receiver.poll_recv(context));
    Ok(response.streaming(body))
}

//! A loopback HTTP/1.1 server for the REST drivers' fakes: one request per
//! connection, every request and its answer's status logged, so a test can
//! hold each call to the provider's published API and count them.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use serde_json::Value;

#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Req {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    pub fn query(&self, key: &str) -> Option<String> {
        let (_, query) = self.target.split_once('?')?;
        query.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k == key).then(|| v.to_string())
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(status: u16, body: Value) -> Resp {
        Resp {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    pub fn empty(status: u16) -> Resp {
        Resp {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }
}

/// One request and what it got.
#[derive(Debug, Clone)]
pub struct Logged {
    pub req: Req,
    pub status: u16,
    /// Prism's `sl-violations` header, when it had one.
    pub violations: Option<String>,
}

/// The requests of a log, one line each (`METHOD TARGET -> STATUS`), for
/// failure messages and the call counts tests print.
pub fn summary(log: &[Logged]) -> String {
    log.iter()
        .map(|l| format!("{} {} -> {}", l.req.method, l.req.target, l.status))
        .collect::<Vec<_>>()
        .join("\n")
}

type Handler = dyn FnMut(&Req) -> Resp + Send;

pub struct Server {
    pub url: String,
    pub log: Arc<Mutex<Vec<Logged>>>,
}

impl Server {
    pub fn start(handler: impl FnMut(&Req) -> Resp + Send + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Mutex<Box<Handler>>> = Arc::new(Mutex::new(Box::new(handler)));
        let shared = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let handler = handler.clone();
                let log = shared.clone();
                std::thread::spawn(move || serve(stream, &handler, &log));
            }
        });
        Server { url, log }
    }

    pub fn requests(&self) -> Vec<Logged> {
        self.log.lock().unwrap().clone()
    }

    /// How many requests were made so far (to count one command's calls).
    pub fn count(&self) -> usize {
        self.log.lock().unwrap().len()
    }

    pub fn calls(&self, method: &str, path_prefix: &str) -> usize {
        self.requests()
            .iter()
            .filter(|l| l.req.method == method && l.req.path().starts_with(path_prefix))
            .count()
    }
}

fn read_request(stream: &mut TcpStream) -> Option<Req> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let length = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Req {
        method,
        target,
        headers,
        body,
    })
}

fn serve(mut stream: TcpStream, handler: &Mutex<Box<Handler>>, log: &Mutex<Vec<Logged>>) {
    let Some(req) = read_request(&mut stream) else {
        return;
    };
    let resp = (handler.lock().unwrap())(&req);
    let violations = resp
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("sl-violations"))
        .map(|(_, v)| v.clone());
    log.lock().unwrap().push(Logged {
        req,
        status: resp.status,
        violations,
    });
    let mut out = format!("HTTP/1.1 {} X\r\n", resp.status);
    for (k, v) in &resp.headers {
        if !k.eq_ignore_ascii_case("content-length")
            && !k.eq_ignore_ascii_case("connection")
            && !k.eq_ignore_ascii_case("transfer-encoding")
            && !k.eq_ignore_ascii_case("keep-alive")
        {
            out.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        resp.body.len()
    ));
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.write_all(&resp.body);
    let _ = stream.flush();
}

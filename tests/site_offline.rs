//! The site opens from disk: no page loads anything from the network, and every local
//! resource a page loads or links to exists.

mod common;

use std::path::{Path, PathBuf};

/// Every attribute value of `name` in an HTML or SVG text, such as each `href`.
fn attribute_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .filter_map(|(start, _)| {
            let rest = &html[start + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

#[test]
fn sample_site_loads_nothing_remote() {
    let out = tempfile::tempdir().unwrap();
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data");
    common::run_in(
        out.path(),
        &["build", data.to_str().unwrap(), "--out", "site"],
    )
    .success();
    let site = out.path().join("site");
    let pages = html_files(&site);
    assert!(pages.len() > 20, "only {} pages", pages.len());
    for page in pages {
        let html = std::fs::read_to_string(&page).unwrap();
        let folder = page.parent().unwrap();
        // Whatever a browser fetches while showing the page: scripts, styles, images.
        for value in attribute_values(&html, "src") {
            assert!(!value.contains("//"), "{} loads {value}", page.display());
        }
        for tag in ["<link ", "<script "] {
            for (start, _) in html.match_indices(tag) {
                let end = html[start..].find('>').map_or(html.len(), |e| start + e);
                let element = &html[start..end];
                assert!(
                    !element.contains("http:")
                        && !element.contains("https:")
                        && !element.contains("\"//"),
                    "{} loads a remote resource: {element}",
                    page.display()
                );
            }
        }
        // Every local link and resource exists.
        for value in attribute_values(&html, "href")
            .into_iter()
            .chain(attribute_values(&html, "src"))
        {
            if value.starts_with("http") || value.starts_with("mailto:") || value.starts_with('#') {
                continue;
            }
            let decoded = value.replace("&#x2F;", "/").replace("&amp;", "&");
            let target = decoded.split('#').next().unwrap();
            assert!(
                folder.join(target).exists(),
                "{} links to missing {value}",
                page.display()
            );
        }
    }
}

import i18next from "i18next";
/**
 * Uploads a file to a presigned URL with progress (fetch cannot report upload progress; XHR can).
 * Resolves when the server accepted the upload; rejects with the server's message otherwise.
 */
export function uploadWithProgress(
  target: { url: string; method: string; headers: Record<string, string> },
  file: Blob,
  onProgress: (fraction: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(target.method, target.url);
    for (const [name, value] of Object.entries(target.headers))
      xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) =>
      e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else {
        let message = i18next.t("errors.uploadFailed", { status: xhr.status });
        try {
          message = (JSON.parse(xhr.responseText) as { message: string })
            .message;
        } catch {
          // S3 answers XML; keep the status
        }
        reject(new Error(message));
      }
    };
    xhr.onerror = () => reject(new Error(i18next.t("errors.uploadNetwork")));
    xhr.send(file);
  });
}

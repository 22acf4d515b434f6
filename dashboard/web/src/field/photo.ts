/** The longest side of a photo sent from the phone. */
export const MAX_PHOTO_PX = 1280;

/**
 * A camera picture resized on the phone (canvas) to at most 1280 px on its
 * longer side, as JPEG, base64 without the data: prefix — a few hundred KB
 * instead of several MB over a bad connection.
 */
export async function resizePhoto(
  file: Blob,
  quality = 0.8,
): Promise<{ contentType: 'image/jpeg'; data: string; takenAt: number }> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_PHOTO_PX / Math.max(bitmap.width, bitmap.height));
  const w = Math.max(1, Math.round(bitmap.width * scale));
  const h = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, w, h);
  bitmap.close();
  const url = canvas.toDataURL('image/jpeg', quality);
  return { contentType: 'image/jpeg', data: url.slice(url.indexOf(',') + 1), takenAt: Date.now() };
}

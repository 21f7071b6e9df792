/** The audio types a recording may be stored as, by the object name's extension. */
export const AUDIO_TYPES: Readonly<Record<string, string>> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  opus: 'audio/opus',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  amr: 'audio/amr',
  flac: 'audio/flac',
};

/** The audio type of a stored recording's key (`…/recording.wav`), or undefined. */
export const audioTypeOfKey = (key: string): string | undefined =>
  AUDIO_TYPES[key.slice(key.lastIndexOf('.') + 1).toLowerCase()];

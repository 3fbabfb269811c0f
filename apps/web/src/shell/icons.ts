/**
 * Icon path data (24x24, stroked). Drawn for this app except `phone`, which follows Feather's handset
 * (MIT). Buttons always carry a text label or aria-label; icons are decoration.
 */
export const ICONS = {
  phone: [
    'M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1.9.4 1.9.7 2.8a2 2 0 0 1-.5 2.1L8.1 9.9a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.9.6 2.8.7a2 2 0 0 1 1.7 2z',
  ],
  hangUp: ['M3 14.5c5-4.7 13-4.7 18 0l-2.4 2.6-3.3-1.2v-2.4a11 11 0 0 0-6.6 0v2.4l-3.3 1.2z'],
  mic: ['M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z', 'M19 11a7 7 0 0 1-14 0', 'M12 18v3'],
  micOff: [
    'M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z',
    'M19 11a7 7 0 0 1-14 0',
    'M12 18v3',
    'M3 3l18 18',
  ],
  video: ['M3 7h12v10H3z', 'M15 10.5l6-3.5v10l-6-3.5'],
  videoOff: ['M3 7h12v10H3z', 'M15 10.5l6-3.5v10l-6-3.5', 'M3 3l18 18'],
  screen: ['M3 4h18v12H3z', 'M8 20h8', 'M12 16v4'],
  switchCamera: ['M4 12a8 8 0 0 1 14-5.3L20 9', 'M20 4v5h-5', 'M20 12a8 8 0 0 1-14 5.3L4 15', 'M4 20v-5h5'],
  camera: ['M3 8h4l2-3h6l2 3h4v11H3z', 'M12 16a3 3 0 1 0 0-6 3 3 0 0 0 0 6z'],
  copy: ['M9 9h11v11H9z', 'M5 15H4V4h11v1'],
  send: ['M22 2L11 13', 'M22 2l-7 20-4-9-9-4z'],
  upload: ['M12 16V4', 'M7 9l5-5 5 5', 'M4 20h16'],
  download: ['M12 4v12', 'M7 11l5 5 5-5', 'M4 20h16'],
  info: ['M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z', 'M12 16v-4', 'M12 8h.01'],
  users: [
    'M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2',
    'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8z',
    'M22 21v-2a4 4 0 0 0-3-3.9',
    'M16 3.1a4 4 0 0 1 0 7.8',
  ],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  link: ['M10 14a5 5 0 0 0 7 0l3-3a5 5 0 0 0-7-7l-1 1', 'M14 10a5 5 0 0 0-7 0l-3 3a5 5 0 0 0 7 7l1-1'],
  leave: ['M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4', 'M16 17l5-5-5-5', 'M21 12H9'],
} as const satisfies Record<string, readonly string[]>;

export type IconName = keyof typeof ICONS;

// CRC32C lives in shared/ (remote read frames use it too); re-exported for the WAL and blocks.
export { crc32c } from '../../shared/crc32c.ts';

import { execFileSync } from 'node:child_process';
import { mkdir, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutputDirectory, findOutputDirectoryProblem } from '../../src/chat/output-directory.ts';
import { makeTempFolder, type TempFolder } from '../config/temp-folder.ts';

let folder: TempFolder;

beforeEach(async () => {
  folder = await makeTempFolder();
});

afterEach(async () => {
  await folder.remove();
});

describe('findOutputDirectoryProblem', () => {
  it('accepts an existing directory', async () => {
    expect(await findOutputDirectoryProblem(folder.path)).toBeNull();
  });

  it('accepts a missing nested directory', async () => {
    expect(await findOutputDirectoryProblem(path.join(folder.path, 'a', 'b', 'c'))).toBeNull();
  });

  it('accepts a link to a directory', async () => {
    await mkdir(path.join(folder.path, 'real'));
    await symlink(path.join(folder.path, 'real'), path.join(folder.path, 'link'));

    expect(await findOutputDirectoryProblem(path.join(folder.path, 'link'))).toBeNull();
  });

  it('rejects a regular file', async () => {
    const file = await folder.write('file', 'text');

    expect(await findOutputDirectoryProblem(file)).toBe('it is not a directory');
  });

  it('rejects a FIFO', async () => {
    const fifo = path.join(folder.path, 'pipe');
    execFileSync('mkfifo', [fifo]);

    expect(await findOutputDirectoryProblem(fifo)).toBe('it is not a directory');
  });

  it('rejects a file in the path', async () => {
    const file = await folder.write('file', 'text');

    expect(await findOutputDirectoryProblem(path.join(file, 'sub', 'dir'))).toBe(`${file} is not a directory`);
  });

  it('rejects a dangling link', async () => {
    const missing = path.join(folder.path, 'missing');
    const link = path.join(folder.path, 'link');
    await symlink(missing, link);

    expect(await findOutputDirectoryProblem(link)).toBe(`it is a symbolic link to ${missing}, which does not exist`);
  });

  it('rejects a dangling link in the path', async () => {
    const missing = path.join(folder.path, 'missing');
    const link = path.join(folder.path, 'link');
    await symlink(missing, link);

    expect(await findOutputDirectoryProblem(path.join(link, 'sub'))).toBe(`${link} is a symbolic link to ${missing}, which does not exist`);
  });
});

describe('createOutputDirectory', () => {
  it('creates missing parents', async () => {
    const target = path.join(folder.path, 'a', 'b', 'c');
    await createOutputDirectory(target);

    expect((await stat(target)).isDirectory()).toBe(true);
  });

  it('accepts an existing directory', async () => {
    await createOutputDirectory(folder.path);

    expect(await readdir(folder.path)).toEqual([]);
  });

  it('rejects a regular file', async () => {
    const file = await folder.write('file', 'text');

    await expect(createOutputDirectory(file)).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('rejects a file in the path', async () => {
    const file = await folder.write('file', 'text');

    await expect(createOutputDirectory(path.join(file, 'sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('rejects a dangling link', async () => {
    const link = path.join(folder.path, 'link');
    await symlink(path.join(folder.path, 'missing'), link);

    await expect(createOutputDirectory(link)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readdir(folder.path)).toEqual(['link']);
  });

  it('stops at ENOENT with an existing parent', async () => {
    // A directory that mkdir cannot create though its parent exists, as /proc/nonexistent is.
    const target = path.join(folder.path, 'a', 'b');
    const attempts: string[] = [];
    const makeDirectory = async (directory: string): Promise<void> => {
      attempts.push(directory);
      if (directory === target) {
        throw Object.assign(new Error(`ENOENT: no such file or directory, mkdir '${directory}'`), { code: 'ENOENT' });
      }
      await mkdir(directory);
    };

    await expect(createOutputDirectory(target, makeDirectory)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(attempts).toEqual([path.join(folder.path, 'a'), target]);
  });

  it('accepts a directory made meanwhile', async () => {
    const target = path.join(folder.path, 'racy');
    const makeDirectory = async (directory: string): Promise<void> => {
      await mkdir(directory);
      await mkdir(directory);
    };

    await createOutputDirectory(target, makeDirectory);

    expect((await stat(target)).isDirectory()).toBe(true);
  });

  it('rejects a file made meanwhile', async () => {
    const target = path.join(folder.path, 'racy');
    const makeDirectory = async (directory: string): Promise<void> => {
      await writeFile(directory, 'text');
      await mkdir(directory);
    };

    await expect(createOutputDirectory(target, makeDirectory)).rejects.toMatchObject({ code: 'EEXIST' });
  });
});

"""Role codes in every surface form: abbreviations, full names, affixed and plural forms, regional qualifiers."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("text,code", [
    ("Panwascam Kecamatan Ngambur menelusuri laporan warga.", "PANWAS"),
    ("PKD Desa Kedaton Induk ikut dalam penggerebekan.", "PANWAS"),
    ("Sebanyak 24 Pengawas TPS di Kabupaten Maluku Tenggara dipecat.", "PANWAS"),
    ("Dua anggota Pengawas Tempat Pemungutan Suara (PTPS) diganti.", "PANWAS"),
    ("Pengawas Pemilu (Panwaslu) Kecamatan Batanghari menggerebek rumah warga.", "PANWAS"),
    ("Seorang PNS di lingkungan Pemkab Lebak dipanggil Bawaslu.", "ASN"),
    ("Guru PPPK juga wajib menjaga netralitas.", "ASN"),
    ("Seluruh aparatur sipil negara diminta netral.", "ASN"),
    ("Pegawai negeri sipil dilarang berpolitik praktis.", "ASN"),
    ("Para kades diundang dalam sosialisasi netralitas.", "KADES"),
    ("Lurah Cipageran hadir dalam rapat koordinasi.", "KADES"),
    ("Perangkat desa dilarang ikut kampanye.", "KADES"),
    ("Wali nagari se-Pasaman Barat dikumpulkan di rumah dinas.", "KADES"),
    ("Pj Bupati Jepara memberi pengarahan kepada ASN.", "PJ_KEPALA_DAERAH"),
    ("Penjabat Gubernur Sumsel Agus Fatoni menanggapi laporan itu.", "PJ_KEPALA_DAERAH"),
    ("Pejabat (Pj) Bupati Lebak meminta ASN netral.", "PJ_KEPALA_DAERAH"),
    ("Penjabat Sementara (Pjs) Bupati Kutai Kartanegara menyerukan netralitas.", "PJ_KEPALA_DAERAH"),
    ("Anggota Kelompok Penyelenggara Pemungutan Suara mengikuti bimtek.", "KPPS"),
    ("Ketua PPS dan KPPS-nya menandatangani pakta integritas.", "KPPS"),
    ("Badan Pengawas Pemilu menemukan pelanggaran.", "BAWASLU"),
    ("Dewan Kehormatan Penyelenggara Pemilu memberhentikan anggota PPK.", "DKPP"),
    ("Dandim 0721/Blora mengajak prajurit menjaga netralitas.", "TNI"),
    ("Bhabinkamtibmas diminta mengawal distribusi logistik.", "POLRI"),
])
def test_surface_forms(tagger, text, code):
    assert code in tagger.tag(text).roles


@pytest.mark.parametrize("text,absent", [
    ("Plt Bupati Blora Tri Yuli Setyowati mengimbau ASN.", "PJ_KEPALA_DAERAH"),
    ("Ketua RT 03 dan RW 05 diminta membantu pendataan pemilih.", "KADES"),
    ("Camat Sukasari menghadiri apel pagi.", "ASN"),
    ("KASN meminta Menpan RB memberikan sanksi pada pejabat pembina kepegawaian (PPK) yang lamban.", "PPK"),
])
def test_lookalikes_are_not_roles(tagger, text, absent):
    assert absent not in tagger.tag(text).roles


@pytest.mark.parametrize("text,mention", [
    ("Ketua KPU Provinsi Jambi, Iron Sahroni, mengirim surat imbauan.", "KPU Provinsi Jambi"),
    ("Ketua Bawaslu Sumsel, Kurniawan, mengingatkan ASN.", "Bawaslu Sumsel"),
    ("Badan Pengawas Pemilu (Bawaslu) Kota Cimahi menemukan seorang camat.", "Badan Pengawas Pemilu (Bawaslu) Kota Cimahi"),
    ("Sementara itu, KPU Kabupaten/Kota diminta menindaklanjuti.", "KPU Kabupaten/Kota"),
    ("Rapat digelar di kantor Bawaslu RI, Jakarta.", "Bawaslu RI"),
])
def test_institution_mentions_take_their_regional_qualifier(tagger, text, mention):
    texts = [m.text for m in tagger.tag(text).mentions]
    assert any(t.endswith(mention) for t in texts), texts


def test_mentions_carry_offsets_into_the_text(tagger):
    text = "Bawaslu Kabupaten Garut memanggil dua ASN dan seorang kepala desa."
    for m in tagger.tag(text).mentions:
        assert text[m.start:m.end] == m.text
    assert {m.label for m in tagger.tag(text).mentions} >= {"BAWASLU", "ASN", "KADES"}
